import Pipeline

/// Runs each round on another executor and tells a `LiveRun` what happens: the round's tiles,
/// each task made and each result accepted. It changes nothing in the round: the same tasks, in
/// the same order, and every result handed on to the runner before the live view sees it.
public final class LiveExecutor: TileExecutor {
    public let inner: TileExecutor
    public let live: LiveRun
    /// The name shown on tiles being solved when `inner` solves them in this process (tasks are
    /// then made just before they are solved); nil for a coordinator, whose snapshots name the
    /// workers holding leases.
    public let solver: String?

    public init(_ inner: TileExecutor, live: LiveRun, solver: String? = nil) {
        self.inner = inner
        self.live = live
        self.solver = solver
    }

    public func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage,
        accept: (TileResultRecord) throws -> Void
    ) throws {
        if let first = keys.first { live.roundStarted(level: first.level, round: first.round, keys: keys) }
        let live = self.live, solver = self.solver
        try inner.run(
            style: style, keys: keys,
            task: { key in
                let message = try task(key)
                live.taskMade(message, solver: solver)
                return message
            },
            accept: { record in
                try accept(record)
                live.resultAccepted(record)
            })
    }
}
