import Messaging

/// Exit statuses of the messaging errors (DESIGN.md §7). An endpoint libzmq refuses and key files
/// that would be replaced are configuration errors, 2: the fix is on the command line. A key
/// file that is missing, short or not Z85 is a bad input file, 3. Everything else (a failed
/// libzmq call, a key that cannot be written, a dead peer) is 1.
extension MessagingError: ClassifiedError {
    var exitStatus: ExitStatus {
        switch self {
        case .endpoint, .keyExists: return .usage
        case .keyFile: return .badInput
        case .call, .timedOut, .peerUnreachable, .misuse, .keyWrite: return .failure
        }
    }
}
