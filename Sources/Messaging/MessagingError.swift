/// Everything that can go wrong in `Messaging`: a libzmq call that failed (with its operation and
/// `zmq_strerror` text), a caller's misuse, or a CURVE key file that cannot be used. One type for
/// the module (STYLE.md §2); the command line maps each case to an exit status.
public enum MessagingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A libzmq call failed: `operation` names the C function (and its subject), `code` is
    /// `zmq_errno()` and `reason` its `zmq_strerror` text.
    case call(operation: String, code: Int32, reason: String)
    /// `bind` or `connect` refused the endpoint: malformed, unknown transport, address in use or
    /// not available. The fix is in the endpoint the user gave.
    case endpoint(String, operation: String, reason: String)
    /// A send could not be queued within the socket's send timeout (the peer's queue is full, or
    /// no peer is connected).
    case timedOut(operation: String)
    /// A ROUTER socket with `routerMandatory` was asked to send to a routing id it has no
    /// connection for: the peer is gone or never was (`EHOSTUNREACH`).
    case peerUnreachable(operation: String)
    /// The caller asked for something the API does not allow: a closed socket or context, an
    /// empty message, a CURVE server without a ZAP handler, closing a context with open sockets.
    case misuse(operation: String, reason: String)
    /// A key file is missing, unreadable, too short, not Z85, or does not match its partner.
    case keyFile(path: String, reason: String)
    /// Writing key files would replace the existing `path` and replacing was not asked for.
    case keyExists(path: String)
    /// A key file or its folder could not be written (the system's message).
    case keyWrite(path: String, reason: String)

    public var description: String {
        let text: String
        switch self {
        case .call(let operation, _, let reason): text = "\(operation): \(reason)"
        case .endpoint(let endpoint, let operation, let reason): text = "\(operation) \(endpoint): \(reason)"
        case .timedOut(let operation): text = "\(operation): timed out (the peer is not taking messages)"
        case .peerUnreachable(let operation): text = "\(operation): no connected peer has that routing id"
        case .misuse(let operation, let reason): text = "\(operation): \(reason)"
        case .keyFile(let path, let reason): text = "\(path): \(reason)"
        case .keyExists(let path): text = "\(path) already exists and was not replaced"
        case .keyWrite(let path, let reason): text = "\(path): cannot write: \(reason)"
        }
        // The contract of the command line is one line per error.
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
