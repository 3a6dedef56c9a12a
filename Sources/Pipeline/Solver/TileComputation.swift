import ImageIO

/// What a worker does with the messages it is sent (DESIGN.md §3): builds a level's style set from
/// its STYLE, then turns each TASK into a RESULT. `TileSolver` optimises the tile;
/// `PassThroughTileComputation` returns it untouched, so that the coordinator and its protocol
/// can be timed without the network's cost (`atelier bench pipeline`).
public protocol TileComputation: AnyObject {
    /// Makes `style`'s set the one tasks use.
    func prepare(_ style: StyleMessage) throws
    /// The result of `task`: its result rectangle's pixels and loss trace.
    func solve(_ task: TaskMessage) throws -> TileResultRecord
}

extension TileSolver: TileComputation {}

/// The no-op computation: a task's result is its initial pixels over the result rectangle, with
/// an empty loss trace. Every message is still decoded, checked and answered as a real worker does.
public final class PassThroughTileComputation: TileComputation {
    public init() {}

    public func prepare(_ style: StyleMessage) throws {}

    /// - Throws: `PipelineError.task` when the result rectangle is not inside the context.
    public func solve(_ task: TaskMessage) throws -> TileResultRecord {
        let bounds = PixelRect(width: task.initial.width, height: task.initial.height)
        guard !task.result.isEmpty, bounds.contains(task.result) else {
            throw PipelineError.task(reason: "\(task.key): the result rectangle is not inside the context")
        }
        return TileResultRecord(
            key: task.key, rect: task.result.offsetBy(dx: task.context.x, dy: task.context.y),
            pixels: MemoryCanvas(task.initial).read(task.result), lossTrace: [])
    }
}
