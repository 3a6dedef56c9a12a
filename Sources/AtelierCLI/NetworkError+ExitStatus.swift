import Network

/// A missing, corrupt or unusable weights file is a bad input file: exit status 3 (DESIGN.md §7).
extension NetworkError: ClassifiedError {
    var exitStatus: ExitStatus {
        switch self {
        case .missingWeights, .unreadable, .corrupt, .incompatible, .imageTooSmall: return .badInput
        case .unknownLayer: return .usage
        case .unwritable, .gradientMismatch: return .failure
        }
    }
}
