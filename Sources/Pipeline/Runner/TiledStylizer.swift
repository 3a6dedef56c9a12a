import Dispatch
import ImageIO
import Network
import Tensor
import Transfer

/// The whole tiled job in one process, tile after tile: LevelPlan → TileGrid → TileSolver →
/// TileBlender, with the level's image in a canvas (DESIGN.md §2). The coordinator and its workers
/// run the same steps with the tasks and results on the wire; this sequential loop is their
/// reference. A level that fits one tile is optimised exactly as `MultiScaleStylizer` does it, so
/// a job that never tiles gives the same bytes.
public final class TiledStylizer {
    /// What one finished round reports.
    public struct RoundReport: Sendable {
        public var level: Int
        public var levels: Int
        public var round: Int
        public var rounds: Int
        public var width: Int
        public var height: Int
        public var tiles: Int
        public var iterations: Int
        /// Each tile's loss before its first iteration and after its last, in tile order.
        public var tileLosses: [(first: Double, last: Double)]
        public var seconds: Double
    }

    public let vgg: VGG
    public let settings: StylizeSettings
    /// The job's name in its task keys.
    public let job: String

    public init(vgg: VGG, settings: StylizeSettings, job: String = "local") {
        self.vgg = vgg
        self.settings = settings
        self.job = job
    }

    /// Runs every level, round and tile, and returns the output image (RGB 3×height×width in [0, 1]).
    /// - Parameters:
    ///   - roundFinished: called after each round with its report.
    ///   - levelFinished: called after each level with its index and image.
    ///   - executor: runs each round's tasks (default: one after the other, in this process).
    public func run(
        _ inputs: MultiScaleStylizer.Inputs, width: Int, height: Int, executor: TileExecutor? = nil,
        roundFinished: (RoundReport) throws -> Void = { _ in },
        levelFinished: (Int, Tensor) throws -> Void = { _, _ in }
    ) throws -> Tensor {
        let transfer = settings.transfer
        try settings.validate(architecture: vgg.architecture)
        guard inputs.contentSemantics.count == inputs.styleSemantics.count,
              inputs.contentSemantics.count == inputs.semanticWeights.count else {
            throw TransferError.guides(reason: "the content and the style have different DSS groups")
        }
        let plan = LevelPlan(width: width, height: height, transfer: transfer, tile: settings.tile,
                             alignment: try settings.geometry(of: vgg.architecture).alignment)
        guard let finest = plan.levels.last, min(finest.width, finest.height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(what: "the output", width: width, height: height,
                                              minimum: MultiScaleSchedule.minimumSide)
        }
        let executor = executor ?? SequentialTileExecutor(solver: TileSolver(vgg: vgg))
        var canvas: MemoryCanvas?
        for level in plan.levels {
            let (content, contentSemantics) = MultiScaleStylizer.content(of: inputs, at: level.schedule, settings: transfer)
            let (style, styleSemantics) = MultiScaleStylizer.style(
                of: inputs, at: level.schedule, outputWidth: width, outputHeight: height, settings: transfer)
            let styleMessage = StyleMessage(
                job: job, level: level.index, styleSet: UInt64(level.index), settings: transfer, style: style,
                styleSemantics: styleSemantics, semanticWeights: transfer.mode == .dss ? inputs.semanticWeights : [],
                segmentationGroup: transfer.mode == .dss ? inputs.segmentationGroup : nil)
            // The first level starts from the content (or its palette start); the others from the level below, enlarged.
            let image = canvas.map {
                MultiScaleStylizer.resized($0.tensor, width: level.width, height: level.height, kind: .bicubic)
            } ?? MultiScaleStylizer.start(of: inputs, at: level.schedule, content: content)
            let levelCanvas = MemoryCanvas(image)
            let sources = LevelSources(content: MemoryCanvas(content), semantics: contentSemantics.map(MemoryCanvas.init))
            for round in level.rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                let keys = round.grid.tiles.map {
                    TileResultKey(job: job, level: level.index, round: round.index, tile: $0.index)
                }
                let results = try executor.run(style: styleMessage, keys: keys) { key in
                    sources.task(
                        key: key, tile: round.grid.tile(key.tile), canvas: levelCanvas, styleSet: styleMessage.styleSet,
                        iterations: round.iterations, seed: key.seed(jobSeed: transfer.seed))
                }
                guard keys.allSatisfy({ results[$0.tile]?.rect == round.grid.tile($0.tile).result }) else {
                    throw PipelineError.task(reason: "level \(level.index) round \(round.index): results missing or misplaced")
                }
                // A barrier: every tile of the round read the canvas before any result is blended in.
                TileBlender(grid: round.grid).blend(into: levelCanvas) { results[$0.index]!.pixels }
                try roundFinished(RoundReport(
                    level: level.index, levels: plan.levels.count, round: round.index, rounds: level.rounds.count,
                    width: level.width, height: level.height, tiles: round.grid.count, iterations: round.iterations,
                    tileLosses: round.grid.tiles.map { tile in
                        let trace = results[tile.index]!.lossTrace
                        return (Double(trace.first ?? .nan), Double(trace.last ?? .nan))
                    },
                    seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
            }
            canvas = levelCanvas
            try levelFinished(level.index, levelCanvas.tensor)
        }
        return canvas!.tensor
    }
}

/// A level's fixed inputs (the content and its DSS groups at the level's size), from which each
/// tile's task takes its context rectangle.
struct LevelSources {
    let content: Canvas
    let semantics: [Canvas]

    /// The task of `tile`: the canvas, the content and the DSS over its context.
    func task(key: TileResultKey, tile: Tile, canvas: Canvas, styleSet: UInt64, iterations: Int, seed: UInt64) -> TaskMessage {
        TaskMessage(
            key: key, styleSet: styleSet, context: tile.context, result: tile.resultInContext, iterations: iterations,
            seed: seed, initial: canvas.read(tile.context), content: content.read(tile.context),
            contentSemantics: semantics.map { $0.read(tile.context) })
    }
}
