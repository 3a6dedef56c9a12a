import Dispatch
import ImageIO
import Network
import Tensor
import Transfer

/// The whole tiled job, tile after tile: LevelPlan → TileGrid → TileSolver → TileBlender, with
/// each level's image in a canvas of a `LevelStore` (DESIGN.md §2). The coordinator and its
/// workers run the same steps with the tasks and results on the wire; the sequential executor is
/// their reference. A level that fits one tile is optimised exactly as `MultiScaleStylizer` does
/// it, so a job that never tiles gives the same bytes.
///
/// Over a run directory's store the runner is resumable: levels and rounds the manifest calls
/// complete are skipped, the round in progress queues only the tiles without a stored result,
/// and blending reads only stored results (so a crash while blending is repaired by blending
/// again). Memory holds the tiles in flight and a band of one tile row being blended, not a level.
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
        /// Tiles whose results an earlier attempt had stored (0 unless resumed in this round).
        public var storedTiles: Int
        public var iterations: Int
        /// The loss before the first iteration and after the last of each tile solved in this
        /// attempt, in tile order (NaN for none: a zero-iteration tile).
        public var tileLosses: [(first: Double, last: Double)]
        public var seconds: Double
    }

    public let vgg: VGG
    public let settings: StylizeSettings
    /// The job's name in its task keys.
    public let job: String
    /// Called when a round resumes with stored results (level, round, stored, total).
    public var resumed: (Int, Int, Int, Int) -> Void = { _, _, _, _ in }
    /// Called with one line per stored result found damaged and removed before the run starts.
    public var discarded: (String) -> Void = { _ in }

    public init(vgg: VGG, settings: StylizeSettings, job: String = "local") {
        self.vgg = vgg
        self.settings = settings
        self.job = job
    }

    /// Runs every level, round and tile in memory and returns the output image (RGB
    /// 3×height×width in [0, 1]).
    /// - Parameters:
    ///   - roundFinished: called after each round with its report.
    ///   - levelFinished: called after each level with its index and canvas.
    ///   - executor: runs each round's tasks (default: one after the other, in this process).
    public func run(
        _ inputs: MultiScaleStylizer.Inputs, width: Int, height: Int, executor: TileExecutor? = nil,
        roundFinished: (RoundReport) throws -> Void = { _ in },
        levelFinished: (Int, any Canvas) throws -> Void = { _, _ in }
    ) throws -> Tensor {
        for (painting, _) in inputs.paintings {
            guard painting.contentSemantics.count == painting.styleSemantics.count,
                  painting.contentSemantics.count == painting.semanticWeights.count else {
                throw TransferError.guides(reason: "the content and the style have different DSS groups")
            }
        }
        let canvas = try run(
            inputs, width: width, height: height, store: MemoryLevelStore(), executor: executor,
            roundFinished: roundFinished, levelFinished: levelFinished)
        return (canvas as! MemoryCanvas).tensor
    }

    /// Runs (or resumes) every level over `store` and returns the final level's canvas, which
    /// stays open in the store for the caller to write out.
    public func run(
        _ inputs: any TiledJobInputs, width: Int, height: Int, store: any LevelStore, executor: TileExecutor? = nil,
        roundFinished: (RoundReport) throws -> Void = { _ in },
        levelFinished: (Int, any Canvas) throws -> Void = { _, _ in }
    ) throws -> any Canvas {
        let transfer = settings.transfer
        try settings.validate(architecture: vgg.architecture)
        let plan = LevelPlan(width: width, height: height, transfer: transfer, tile: settings.tile,
                             alignment: try settings.geometry(of: vgg.architecture).alignment)
        guard let finest = plan.levels.last, min(finest.width, finest.height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(what: "the output", width: width, height: height,
                                              minimum: MultiScaleSchedule.minimumSide)
        }
        // Every stored result is checked up front: a damaged one is solved again, not found at the blend.
        for line in try store.discardDamagedResults(job: job, expected: { Self.resultRect(of: $0, in: plan) }) {
            discarded(line)
        }
        let executor = executor ?? SequentialTileExecutor(solver: TileSolver(vgg: vgg))
        var previous: (any Canvas)?
        for level in plan.levels {
            let completed = store.roundsCompleted(level: level.index)
            let next = plan.levels.indices.contains(level.index + 1) ? level.index + 1 : nil
            // A complete level whose successor has started is needed by nothing that remains.
            if completed == level.rounds.count, let next, store.roundsCompleted(level: next) != nil { continue }
            let sources = try inputs.sources(at: level, settings: transfer)
            let canvas: any Canvas
            if completed != nil {
                canvas = try store.openCanvas(for: level)
            } else {
                canvas = try store.makeCanvas(for: level)
                // The first level starts from the content (or its palette start); the others from the level below, enlarged.
                if let previous {
                    try canvas.fill(enlarging: previous)
                } else {
                    try inputs.start(at: level, sources: sources, settings: transfer, into: canvas)
                }
                try store.levelStarted(level, canvas: canvas)
            }
            if let previous { try store.release(previous) }
            previous = canvas
            guard (completed ?? 0) < level.rounds.count else { continue }
            let (style, styleSemantics) = level.iterations == 0
                ? Self.placeholderStyle(groups: inputs.semanticGroupChannels(settings: transfer))
                : try inputs.style(at: level, outputWidth: width, outputHeight: height, settings: transfer)
            // A level of zero iterations builds no bank: its STYLE carries no other painting either.
            let blend = level.iterations == 0
                ? (share: Float(1), others: [])
                : try inputs.blend(at: level, outputWidth: width, outputHeight: height, settings: transfer)
            let styleMessage = StyleMessage(
                job: job, level: level.index, styleSet: UInt64(level.index), settings: transfer, style: style,
                styleSemantics: styleSemantics, semanticWeights: transfer.mode == .dss ? inputs.semanticWeights : [],
                segmentationGroup: transfer.mode == .dss ? inputs.segmentationGroup : nil, share: blend.share,
                blend: blend.others)
            for round in level.rounds where round.index >= (completed ?? 0) {
                try runRound(round, of: level, levels: plan.levels.count, canvas: canvas, sources: sources,
                             style: styleMessage, store: store, executor: executor, roundFinished: roundFinished)
            }
            try levelFinished(level.index, canvas)
        }
        return previous!
    }

    /// The rectangle that `key`'s result covers in `plan`, or nil when the key is no tile of it.
    static func resultRect(of key: TileResultKey, in plan: LevelPlan) -> PixelRect? {
        guard let level = plan.levels.first(where: { $0.index == key.level }),
              let round = level.rounds.first(where: { $0.index == key.round }),
              (0..<round.grid.count).contains(key.tile) else { return nil }
        return round.grid.tile(key.tile).result
    }

    /// The STYLE of a level of zero iterations: its tiles return their starting pixels and no
    /// solver builds a bank for it, so it carries a 1×1 style (and 1×1 DSS groups of the right
    /// channel counts) instead of the level's. At a gigapixel level the real one, capped at
    /// `style_max_side`, is ~0.5 GB of style and DSS maps made, copied and sent for nothing.
    static func placeholderStyle(groups: [Int]) -> (image: Tensor, semantics: [Tensor]) {
        (Tensor(channels: 3, height: 1, width: 1), groups.map { Tensor(channels: $0, height: 1, width: 1) })
    }

    /// One round: the tiles without a stored result solved by `executor` and stored as they are
    /// accepted, then every result blended into the canvas from the store, then the checkpoint.
    private func runRound(
        _ round: LevelPlan.Round, of level: LevelPlan.Level, levels: Int, canvas: any Canvas, sources: LevelSources,
        style: StyleMessage, store: any LevelStore, executor: TileExecutor,
        roundFinished: (RoundReport) throws -> Void
    ) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let grid = round.grid
        let seconds = { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        if round.iterations == 0 {
            // A round without iterations changes no pixel: each tile would return its starting
            // pixels, and the blend of equal values is exact (`TileBlender`'s running mean adds
            // w·(p − mean) = 0), so the canvas, streamed from the level below, already is the
            // round's result. No task, no store, no blend: the level runs at disk speed.
            try store.roundCompleted(level: level.index, round: round.index, canvas: canvas)
            return try roundFinished(RoundReport(
                level: level.index, levels: levels, round: round.index, rounds: level.rounds.count,
                width: level.width, height: level.height, tiles: grid.count, storedTiles: 0, iterations: 0,
                tileLosses: [], seconds: seconds()))
        }
        let key = { (tile: Int) in TileResultKey(job: self.job, level: level.index, round: round.index, tile: tile) }
        let stored = try store.storedTiles(level: level.index, round: round.index)
        if !stored.isEmpty { resumed(level.index, round.index, stored.count, grid.count) }
        let keys = (0..<grid.count).filter { !stored.contains($0) }.map(key)
        var losses: [Int: (first: Double, last: Double)] = [:]
        try executor.run(style: style, keys: keys, task: { key in
            try sources.task(
                key: key, tile: grid.tile(key.tile), canvas: canvas, styleSet: style.styleSet, iterations: round.iterations,
                seed: key.seed(jobSeed: settings.transfer.seed), quantisesGuides: !level.isSingleTile)
        }, accept: { record in
            guard record.key.level == level.index, record.key.round == round.index,
                  (0..<grid.count).contains(record.key.tile), record.rect == grid.tile(record.key.tile).result else {
                throw PipelineError.task(reason: "level \(level.index) round \(round.index): result misplaced (\(record.key))")
            }
            try store.store(record)
            losses[record.key.tile] = (Double(record.lossTrace.first ?? .nan), Double(record.lossTrace.last ?? .nan))
        })
        let missing = try Set(0..<grid.count).subtracting(store.storedTiles(level: level.index, round: round.index))
        guard missing.isEmpty else {
            throw PipelineError.task(reason: "level \(level.index) round \(round.index): results missing for tiles \(missing.sorted())")
        }
        // A barrier: every tile of the round read the canvas before any result is blended in.
        try blend(grid, into: canvas) { try store.result(key($0.index)) }
        try store.roundCompleted(level: level.index, round: round.index, canvas: canvas)
        try roundFinished(RoundReport(
            level: level.index, levels: levels, round: round.index, rounds: level.rounds.count,
            width: level.width, height: level.height, tiles: grid.count, storedTiles: stored.count,
            iterations: round.iterations, tileLosses: losses.keys.sorted().map { losses[$0]! }, seconds: seconds()))
    }

    /// Blends the round in tile order, each stored result read once (`TileBlender.blendRows`),
    /// holding one result and a band of running means about one tile row high.
    private func blend(_ grid: TileGrid, into canvas: any Canvas, result: (Tile) throws -> Tensor) throws {
        try TileBlender(grid: grid).blendRows(into: canvas, result: result)
    }
}
