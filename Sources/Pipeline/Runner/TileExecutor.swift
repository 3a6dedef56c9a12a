/// Runs the tasks of one round and hands over their results as they are accepted: in this
/// process, tile after tile (`SequentialTileExecutor`), or on workers over ZeroMQ
/// (`TileCoordinator`). `TiledStylizer` plans the levels, stores the results and blends the rounds
/// either way, so the output cannot depend on which.
public protocol TileExecutor: AnyObject {
    /// Runs every task of `keys` (one round: same job, level and round) and passes each tile's
    /// accepted result to `accept`, once per key, in the order they are accepted. Results are not
    /// kept: a gigapixel round's results do not fit in memory, the caller stores them.
    /// - Parameters:
    ///   - style: the level's style, for workers that do not hold it yet.
    ///   - task: builds a key's task (reading the canvas), when it is handed out.
    ///   - accept: takes an accepted result (the run directory writes it to its store).
    func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage,
        accept: (TileResultRecord) throws -> Void
    ) throws
}

extension TileExecutor {
    /// Runs the round and returns every result by tile index (for rounds small enough to hold:
    /// tests and `bench pipeline`).
    public func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage
    ) throws -> [Int: TileResultRecord] {
        var results: [Int: TileResultRecord] = [:]
        try run(style: style, keys: keys, task: task) { results[$0.key.tile] = $0 }
        return results
    }
}

/// The tasks solved one after the other by one `TileSolver` in this process.
public final class SequentialTileExecutor: TileExecutor {
    public let solver: TileSolver

    public init(solver: TileSolver) {
        self.solver = solver
    }

    public func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage,
        accept: (TileResultRecord) throws -> Void
    ) throws {
        try solver.prepare(style)
        for key in keys { try accept(try solver.solve(try task(key))) }
    }
}
