import Transfer

extension TransferError: ClassifiedError {
    /// Settings out of range and unusable guide combinations are configuration errors (2); an
    /// image too small for the network is a bad input (3).
    var exitStatus: ExitStatus {
        switch self {
        case .setting, .guides: return .usage
        case .imageTooSmall: return .badInput
        }
    }
}
