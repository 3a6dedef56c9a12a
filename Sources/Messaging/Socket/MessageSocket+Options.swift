internal import CZMQ
import Glibc

/// `ZMQ_ZAP_ENFORCE_DOMAIN` is a draft option of libzmq 4.3 (its header hides it unless built
/// with the draft API; Debian's library accepts it). Set on a CURVE server, with a non-empty
/// ZAP domain, it makes the handshake fail when no ZAP handler answers, instead of admitting
/// every client. (Measured with libzmq 4.3.4: enforcing with an empty domain skips ZAP
/// altogether and admits everyone, so the domain matters.)
private let zapEnforceDomain: Int32 = 93
/// The ZAP domain of CURVE servers (RFC 27 lets a handler serve several; ours serves one).
let zapDomain = "atelier"

extension MessageSocket {
    /// Applies `options` with `zmq_setsockopt`, before any bind or connect.
    func apply(_ options: SocketOptions) throws {
        try set(ZMQ_LINGER, "ZMQ_LINGER", LibZMQ.milliseconds(options.linger))
        if let marks = options.sendHighWaterMark { try set(ZMQ_SNDHWM, "ZMQ_SNDHWM", marks) }
        if let marks = options.receiveHighWaterMark { try set(ZMQ_RCVHWM, "ZMQ_RCVHWM", marks) }
        if let size = options.maxMessageSize { try set(ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE", size) }
        if let beat = options.heartbeat {
            try set(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL", LibZMQ.milliseconds(beat.interval))
            try set(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT", LibZMQ.milliseconds(beat.timeout))
            try set(ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL", LibZMQ.milliseconds(beat.timeToLive))
        }
        if options.routerMandatory { try set(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY", Int32(1)) }
        if let id = options.routingID {
            guard (1...255).contains(id.count), id[0] != 0 else {
                throw MessagingError.misuse(
                    operation: "zmq_setsockopt(ZMQ_ROUTING_ID)",
                    reason: "a routing id is 1 to 255 bytes and does not start with a zero byte")
            }
            try set(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID", bytes: id)
        }
        if options.immediate { try set(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE", Int32(1)) }
        if let wait = options.reconnectInterval {
            try set(ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL", LibZMQ.milliseconds(wait))
        }
        if let wait = options.reconnectIntervalMax {
            try set(ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX", LibZMQ.milliseconds(wait))
        }
        if let wait = options.sendTimeout { try set(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO", LibZMQ.milliseconds(wait)) }
        switch options.curve {
        case nil:
            break
        case .server(let keys):
            try set(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER", Int32(1))
            try set(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", bytes: keys.secretKey.bytes)
            try set(ZMQ_ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN", bytes: Array(zapDomain.utf8))
            do {
                try set(zapEnforceDomain, "ZMQ_ZAP_ENFORCE_DOMAIN", Int32(1))
            } catch MessagingError.call(_, EINVAL, _) {
                // A library built without the draft API: the context's check that a ZAPHandler
                // runs when the server is made is then the only guard.
            }
        case .client(let keys, let serverKey):
            try set(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY", bytes: serverKey.bytes)
            try set(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY", bytes: keys.publicKey.bytes)
            try set(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", bytes: keys.secretKey.bytes)
        }
    }

    /// Sets an integer option (`int` or `int64_t`, as the option's C type).
    private func set<Value: FixedWidthInteger>(_ option: Int32, _ name: String, _ value: Value) throws {
        try set(option, name, bytes: withUnsafeBytes(of: value) { Array($0) })
    }

    /// Sets an option from its raw bytes (`zmq_setsockopt`).
    private func set(_ option: Int32, _ name: String, bytes: [UInt8]) throws {
        let operation = "zmq_setsockopt(\(name))"
        let handle = try openHandle(operation)
        _ = try bytes.withUnsafeBytes { raw in
            try LibZMQ.call(operation) { zmq_setsockopt(handle, option, raw.baseAddress, raw.count) }
        }
    }
}
