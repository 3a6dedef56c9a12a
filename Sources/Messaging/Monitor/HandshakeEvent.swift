internal import CZMQ
import Foundation

/// The outcome of a ZMTP handshake on one connection, as libzmq's socket monitor reports it
/// (`ZMQ_EVENT_HANDSHAKE_*`): the only place where a peer with the wrong key, no key, or a key
/// where none is expected is seen at all; the socket itself just never delivers a message.
public struct HandshakeEvent: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        case succeeded
        /// The peers disagree on the protocol: `code` is a `ZMQ_PROTOCOL_ERROR_*` value, among
        /// them a security mechanism mismatch (CurveZMQ on one side only) and a cryptographic
        /// error (a CURVE client that holds the wrong server key).
        case protocolError(code: UInt32)
        /// The ZAP handler refused the client (`status`: 300 try later, 400 refused, 500 error).
        case refused(status: UInt32)
        /// The connection closed, or timed out, before the handshake ended (`errno` as libzmq
        /// gives it). A CURVE server closes on a client whose HELLO it cannot decrypt: that is how
        /// a client with the wrong server key sees it.
        case closed(errno: Int32)
    }

    public var outcome: Outcome
    /// The endpoint of the connection: the one connected to, or the one bound on a server.
    public var endpoint: String

    public var failed: Bool { outcome != .succeeded }

    /// Why the handshake failed, in the user's terms.
    public var description: String {
        switch outcome {
        case .succeeded:
            return "handshake on \(endpoint) succeeded"
        case .protocolError(let code):
            let reason: String
            switch Int32(bitPattern: code) {
            case ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH:
                reason = "security mechanism mismatch (CurveZMQ keys on one side only)"
            case ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC:
                reason = "cryptographic error (a client holding the wrong server key)"
            default:
                reason = "protocol error 0x\(String(code, radix: 16))"
            }
            return "handshake on \(endpoint) failed: \(reason)"
        case .refused(let status):
            return "handshake on \(endpoint) failed: the server refused this key (ZAP status \(status))"
        case .closed(let code):
            let system = String(cString: strerror(code))
            return "handshake on \(endpoint) failed: the peer closed the connection before it ended (\(system)); "
                + "a wrong server key, or CurveZMQ keys on one side only"
        }
    }

    /// The events a handshake monitor asks libzmq for.
    static let mask = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
        | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL

    /// The event in a monitor message: a 6-byte frame (event UInt16, value UInt32, native
    /// order), then the endpoint; nil for anything else.
    init?(frames: [Data]) {
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let bytes = Array(frames[0])
        let event = Int32(UInt16(bytes[0]) | UInt16(bytes[1]) << 8)
        let value = bytes[2..<6].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << ($1.offset * 8) }
        endpoint = String(decoding: frames[1], as: UTF8.self)
        switch event {
        case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: outcome = .succeeded
        case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: outcome = .protocolError(code: value)
        case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: outcome = .refused(status: value)
        case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: outcome = .closed(errno: Int32(bitPattern: value))
        default: return nil
        }
    }
}
