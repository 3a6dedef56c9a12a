/// Errors of the tile pipeline itself (settings errors are `TransferError.setting`, wire errors
/// `ProtocolError`).
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    /// A task a worker cannot run: its style set is missing or its parts do not fit together.
    case task(reason: String)

    public var description: String {
        switch self {
        case .task(let reason): return "tile task: \(reason)"
        }
    }
}
