/// Runs the tasks of one round and hands back their results: in this process, tile after tile
/// (`SequentialTileExecutor`), or on workers over ZeroMQ (`TileCoordinator`). `TiledStylizer`
/// plans the levels and blends the rounds either way, so the output cannot depend on which.
public protocol TileExecutor: AnyObject {
    /// Runs every task of `keys` (one round: same job, level and round) and returns each tile's
    /// result by tile index.
    /// - Parameters:
    ///   - style: the level's style, for workers that do not hold it yet.
    ///   - task: builds a key's task (reading the canvas), when it is handed out.
    func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage
    ) throws -> [Int: TileResultRecord]
}

/// The tasks solved one after the other by one `TileSolver` in this process.
public final class SequentialTileExecutor: TileExecutor {
    public let solver: TileSolver

    public init(solver: TileSolver) {
        self.solver = solver
    }

    public func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage
    ) throws -> [Int: TileResultRecord] {
        try solver.prepare(style)
        var results: [Int: TileResultRecord] = [:]
        for key in keys { results[key.tile] = try solver.solve(try task(key)) }
        return results
    }
}
