/// The options a socket is created with (`zmq_setsockopt`), applied before it binds or connects
/// so that none can be forgotten or set too late. `nil` keeps libzmq's default.
public struct SocketOptions: Sendable, Equatable {
    /// How long `MessagingContext.close()` waits to deliver messages still queued when the socket
    /// is closed (`ZMQ_LINGER`). Zero by default, unlike libzmq's "forever": a coordinator or
    /// worker that exits must not hang on a dead peer; the protocol resends what matters.
    public var linger: Duration = .zero
    /// Messages queued per peer for sending before sends block or fail (`ZMQ_SNDHWM`; libzmq: 1000).
    public var sendHighWaterMark: Int32?
    /// Messages queued per peer on receipt before the peer is made to wait (`ZMQ_RCVHWM`).
    public var receiveHighWaterMark: Int32?
    /// The largest frame, in bytes, accepted from a peer (`ZMQ_MAXMSGSIZE`; libzmq checks each
    /// frame of a multipart message): a peer that sends a larger one is disconnected and its
    /// message never delivered (TCP and IPC; `inproc://` peers are in-process and unchecked).
    public var maxMessageSize: Int64?
    /// ZMTP heartbeats on every connection (`ZMQ_HEARTBEAT_*`), so a dead peer is noticed.
    public var heartbeat: Heartbeat?
    /// ROUTER only: a send to a routing id with no connection fails with
    /// `MessagingError.peerUnreachable` instead of being dropped silently (`ZMQ_ROUTER_MANDATORY`).
    public var routerMandatory = false
    /// The routing id a ROUTER peer sees for this socket (`ZMQ_ROUTING_ID`): 1 to 255 bytes, not
    /// starting with a zero byte (libzmq keeps those for generated ids).
    public var routingID: [UInt8]?
    /// Queue messages only to completed connections (`ZMQ_IMMEDIATE`), so that nothing waits in
    /// the queue of a peer that is not there.
    public var immediate = false
    /// The first wait before reconnecting to a lost peer (`ZMQ_RECONNECT_IVL`; libzmq: 100 ms).
    public var reconnectInterval: Duration?
    /// The longest wait between reconnections: each retry doubles the wait up to this back-off
    /// cap (`ZMQ_RECONNECT_IVL_MAX`; libzmq: no back-off).
    public var reconnectIntervalMax: Duration?
    /// How long a send may wait for room in a peer's queue before failing with
    /// `MessagingError.timedOut` (`ZMQ_SNDTIMEO`); `nil` waits as long as it takes.
    public var sendTimeout: Duration?
    /// CurveZMQ encryption and authentication; `nil` is plain ZMTP.
    public var curve: CurveRole?

    public init() {}
}

/// ZMTP 3.1 heartbeats (`ZMQ_HEARTBEAT_IVL`, `ZMQ_HEARTBEAT_TIMEOUT`, `ZMQ_HEARTBEAT_TTL`).
public struct Heartbeat: Sendable, Equatable {
    /// How often a PING is sent on a quiet connection.
    public var interval: Duration
    /// How long to wait for any traffic after a PING before dropping the connection.
    public var timeout: Duration
    /// How long the peer should wait for our traffic before dropping the connection (sent in
    /// each PING; libzmq keeps it in tenths of a second, at most 6553.5 s).
    public var timeToLive: Duration

    /// Heartbeats every `interval`; by default a connection quiet for three intervals is dead on
    /// both sides (the liveness of 3 of the Paranoid Pirate pattern, DESIGN.md §3).
    public init(interval: Duration, timeout: Duration? = nil, timeToLive: Duration? = nil) {
        self.interval = interval
        self.timeout = timeout ?? interval * 3
        self.timeToLive = timeToLive ?? interval * 3
    }
}

/// The side a socket takes in CurveZMQ (RFC 26). The server admits clients through the ZAP
/// handler of its context (`ZAPHandler`); the client must know the server's public key.
public enum CurveRole: Sendable, Equatable {
    /// `ZMQ_CURVE_SERVER` with the server's secret key (from its key pair).
    case server(CurveKeyPair)
    /// A client with its own key pair, talking to the server whose public key is `serverKey`.
    case client(CurveKeyPair, serverKey: CurveKey)
}
