/// What a coordinator's board and sockets say at one moment, for a live view and its metrics:
/// copied on the socket thread (`TileCoordinator.snapshotTaken`) and read anywhere, so that an
/// HTTP client never touches the board itself nor makes the socket thread wait.
public struct CoordinatorSnapshot: Sendable {
    /// A tile leased to a worker, by the name the worker gave in READY.
    public struct Lease: Sendable, Equatable {
        public var key: TileResultKey
        public var worker: String
        public var speculative: Bool

        public init(key: TileResultKey, worker: String, speculative: Bool) {
            self.key = key
            self.worker = worker
            self.speculative = speculative
        }
    }

    public var leases: [Lease] = []
    /// Tasks of the board neither done nor leased.
    public var pending = 0
    /// Workers heard from within their liveness, by name.
    public var workersAlive: [String] = []
    public var counts = TaskBoard.Counts()
    /// Leases each task lost so far (retried tasks and abandoned ones).
    public var lostLeases: [TileResultKey: Int] = [:]
    /// Results accepted from each worker, and the seconds from their leases to those results.
    public var tilesDone: [String: Int] = [:]
    public var workerSeconds: [String: Double] = [:]
    /// Bytes of every frame read from and written to the socket.
    public var bytesIn = 0
    public var bytesOut = 0

    public init() {}
}
