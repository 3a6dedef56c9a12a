internal import CZMQ
import Glibc

/// The one funnel for libzmq calls (STYLE.md §2, as swift-nio's `syscall`): it runs a call,
/// retries it while it fails with `EINTR` (a signal arrived; libzmq asks the caller to retry),
/// and turns any other failure into a `MessagingError` carrying the operation and libzmq's text.
///
/// Calls that cannot fail (`zmq_msg_data`, `zmq_msg_size`, `zmq_msg_more`, `zmq_strerror`,
/// `zmq_errno`) are made directly: there is nothing to check.
enum LibZMQ {
    /// Runs `body` until it does not fail with `EINTR`; `failed` says which results are libzmq's
    /// failure value (-1 or NULL), in which case `zmq_errno()` holds the reason.
    /// - Throws: `MessagingError.timedOut` for `EAGAIN` (a would-block the caller may treat as
    ///   "no message"), `.peerUnreachable` for `EHOSTUNREACH`, `.call` for anything else.
    static func call<Result>(
        _ operation: @autoclosure () -> String, failed: (Result) -> Bool, _ body: () -> Result
    ) throws -> Result {
        while true {
            let result = body()
            guard failed(result) else { return result }
            let code = zmq_errno()
            switch code {
            case EINTR: continue
            case EAGAIN: throw MessagingError.timedOut(operation: operation())
            case EHOSTUNREACH: throw MessagingError.peerUnreachable(operation: operation())
            default: throw MessagingError.call(operation: operation(), code: code, reason: message(for: code))
            }
        }
    }

    /// A call returning libzmq's `int` convention: -1 on failure, anything else on success.
    @discardableResult
    static func call(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws -> Int32 {
        try call(operation(), failed: { $0 == -1 }, body)
    }

    /// A call returning a handle: NULL on failure.
    static func call(
        _ operation: @autoclosure () -> String, _ body: () -> UnsafeMutableRawPointer?
    ) throws -> UnsafeMutableRawPointer {
        try call(operation(), failed: { $0 == nil }, body)!
    }

    /// libzmq's text for an error number (`zmq_strerror`, which also knows libzmq's own codes
    /// such as `ETERM`).
    static func message(for code: Int32) -> String {
        String(cString: zmq_strerror(code))
    }

    /// The text of a NUL-terminated buffer libzmq filled (a Z85 key, an endpoint).
    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A timeout as libzmq's milliseconds (`zmq_poll`, `ZMQ_LINGER`, heartbeats): `nil` is
    /// libzmq's -1, "forever"; rounded up; negative durations count as zero and very long ones
    /// are capped at `Int32.max` ms (24 days), which is forever for every use here.
    static func milliseconds(_ duration: Duration?) -> Int32 {
        guard let duration else { return -1 }
        let (seconds, attoseconds) = duration.components
        let millis = (Double(seconds) * 1e3 + Double(attoseconds) / 1e15).rounded(.up)
        return Int32(min(max(millis, 0), Double(Int32.max)))
    }
}
