internal import CZMQ

/// The socket patterns Atelier uses: a ROUTER on the coordinator, a DEALER on each worker
/// (DESIGN.md §3). REP and PAIR exist only inside the module, for the ZAP handler and monitors.
public struct SocketKind: Hashable, Sendable, CustomStringConvertible {
    let rawValue: Int32
    public let description: String

    /// Routes each message by the routing id of the peer it came from (the first frame of every
    /// received message; the first frame of a sent message picks the peer).
    public static let router = SocketKind(rawValue: ZMQ_ROUTER, description: "ROUTER")
    /// Sends to its connected peers in turn and receives from all of them; no envelope.
    public static let dealer = SocketKind(rawValue: ZMQ_DEALER, description: "DEALER")
    /// Strict receive-then-reply, as the ZAP protocol (RFC 27) expects of a handler.
    static let reply = SocketKind(rawValue: ZMQ_REP, description: "REP")
    /// One peer, both ways: the end a `SocketMonitor` reads libzmq's events from.
    static let pair = SocketKind(rawValue: ZMQ_PAIR, description: "PAIR")
}
