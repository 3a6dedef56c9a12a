import ImageIO

/// ImageIO's errors are about files: a bad input file (missing, unreadable, damaged, unsupported,
/// too large to decode in memory) is exit status 3 (DESIGN.md §7). A failure to write an output,
/// or a caller's invalid request, is not the input's fault: status 1.
extension ImageIOError: ClassifiedError {
    var exitStatus: ExitStatus {
        switch self {
        case .decode, .unsupported, .tooLarge, .io: return .badInput
        case .encode, .invalidRequest: return .failure
        }
    }
}
