import Dispatch
import ImageIO
import Network
import Tensor
import Transfer

/// The worker's computation (DESIGN.md §3): a TASK in, a RESULT out. The level's style bank is
/// built once from its STYLE message and shared by every tile of that level; each tile gets its
/// own `LevelObjective` over its context and is optimised as `MultiScaleStylizer` optimises a
/// level, with the halo frozen (its gradient masked to zero, so L-BFGS never moves it).
public final class TileSolver {
    public private(set) var vgg: VGG
    /// Whether the network takes the pooling of each STYLE (a worker process learns the job's
    /// settings only from its first STYLE); it then shares the weights of the one it replaces.
    private let adoptsPooling: Bool
    /// The style set in use and its bank, built by the first task that iterates (a worker holds
    /// one level at a time). A level of zero iterations never builds one: its tiles' results are
    /// their initial pixels, so neither VGG nor a patch bank is needed (the gigapixel run's fine
    /// levels).
    /// A blended STYLE has a bank per painting, the first one's first.
    private var current: (job: String, styleSet: UInt64, settings: TransferSettings, banks: [StyleBank]?)?
    /// The STYLE message of the current set, kept until its bank is built.
    private var currentStyle: StyleMessage?
    /// The pixels, DSS groups and weights the current set was made from: a worker process may
    /// serve several jobs in turn under the same job name and style set, so a STYLE is cached
    /// only when its content is the same too.
    private var currentSource: (style: [Float], semantics: [[Float]], weights: [Float], blend: [[Float]])?
    /// Style banks built so far (a repeated STYLE message for the cached set builds nothing).
    public private(set) var banksBuilt = 0
    /// Called after each iteration of a tile with its key, the iteration's index and the loss at
    /// the last point evaluated: `stylize`'s live line and its stop on Ctrl-C (a throw ends the
    /// tile unsolved). Nil for a worker, whose tiles report only when solved.
    public var iterationFinished: ((_ key: TileResultKey, _ iteration: Int, _ loss: Double) throws -> Void)?

    public init(vgg: VGG) {
        self.vgg = vgg
        adoptsPooling = false
    }

    /// A solver whose network takes the pooling of each STYLE it is sent (max until then).
    public init(weights: VGGWeights) {
        vgg = VGG(weights: weights)
        adoptsPooling = true
    }

    /// Makes `style`'s set the current one (its bank is built when a task first iterates).
    /// - Throws: `PipelineError.style` for a message whose parts do not fit together, the
    ///   settings' errors.
    public func prepare(_ style: StyleMessage) throws {
        let blend = style.blend.flatMap { painting in
            [painting.style.array, painting.semanticWeights, [painting.share, Float(painting.segmentationGroup ?? -1)]]
                + painting.styleSemantics.map(\.array)
        }
        let source = (
            style.style.array, style.styleSemantics.map(\.array), style.semanticWeights + [style.share], blend
        )
        if let current, let currentSource, current.job == style.job, current.styleSet == style.styleSet,
           current.settings == style.settings, currentSource.style == source.0, currentSource.semantics == source.1,
           currentSource.weights == source.2, currentSource.blend == source.3 {
            return
        }
        let first = BlendedStyle(
            style: style.style, styleSemantics: style.styleSemantics, semanticWeights: style.semanticWeights,
            segmentationGroup: style.segmentationGroup, share: style.share)
        for painting in [first] + style.blend {
            let image = painting.style, semantics = painting.styleSemantics
            func refuse(_ reason: String) -> PipelineError {
                PipelineError.task(reason: "style set \(style.styleSet): \(reason)")
            }
            guard image.channels == 3, semantics.count == painting.semanticWeights.count,
                  semantics.allSatisfy({ $0.width == image.width && $0.height == image.height })
            else { throw refuse("style DSS groups do not match the style image") }
            if let group = painting.segmentationGroup, !semantics.indices.contains(group) {
                throw refuse("segmentation group \(group) is not a DSS group")
            }
            guard painting.share.isFinite && painting.share > 0 && painting.share <= 1 else {
                throw refuse("a painting's share \(painting.share) is not in (0, 1]")
            }
        }
        try style.settings.validate(layerNames: vgg.architecture.layerNames)
        current = (style.job, style.styleSet, style.settings, nil)
        currentStyle = style
        currentSource = source
    }

    /// The current set's banks (one per painting), built on first use.
    /// - Throws: the banks' errors (`TransferError.imageTooSmall`).
    private func banks() throws -> [StyleBank] {
        guard let current, let style = currentStyle else { preconditionFailure("bank asked for before prepare") }
        if let banks = current.banks { return banks }
        if adoptsPooling, vgg.pooling != style.settings.pooling { vgg = vgg.sharingWeights(pooling: style.settings.pooling) }
        let first = try StyleBank(vgg: vgg, settings: style.settings, style: style.style,
                                  styleSemantics: style.styleSemantics, semanticWeights: style.semanticWeights,
                                  segmentationGroup: style.segmentationGroup)
        let banks = try [first] + style.blend.map { painting in
            try StyleBank(vgg: vgg, settings: style.settings, style: painting.style,
                          styleSemantics: painting.styleSemantics, semanticWeights: painting.semanticWeights,
                          segmentationGroup: painting.segmentationGroup)
        }
        self.current = (current.job, current.styleSet, current.settings, banks)
        banksBuilt += 1
        return banks
    }

    /// Whether a task of `job` using `styleSet` can run without another STYLE message.
    public func holds(job: String, styleSet: UInt64) -> Bool {
        current.map { $0.job == job && $0.styleSet == styleSet } ?? false
    }

    /// Optimises the task's tile and returns its result pixels and loss trace (none for a task of
    /// zero iterations, whose result is its initial pixels).
    /// - Throws: `PipelineError.task` when the style set is not prepared or the task's parts do
    ///   not fit together; the objective's errors.
    public func solve(_ task: TaskMessage) throws -> TileResultRecord {
        let image = task.initial.clone()
        let trace = try optimise(image, task: task)
        let pixels = MemoryCanvas(image).read(task.result)
        return TileResultRecord(
            key: task.key, rect: task.result.offsetBy(dx: task.context.x, dy: task.context.y), pixels: pixels,
            lossTrace: trace.map(Float.init))
    }

    /// Optimises `image` (the task's context, in place): only the result rectangle moves.
    func optimise(_ image: Tensor, task: TaskMessage) throws -> [Double] {
        guard let current, current.job == task.key.job, current.styleSet == task.styleSet else {
            throw PipelineError.task(reason: "\(task.key): style set \(task.styleSet) was not sent to this worker")
        }
        let size = Shape(channels: 3, height: task.context.height, width: task.context.width)
        guard task.initial.shape == size, !task.result.isEmpty,
              PixelRect(width: size.width, height: size.height).contains(task.result)
        else {
            throw PipelineError.task(reason: "\(task.key): pixels and rectangles do not fit together")
        }
        if task.iterations == 0 { return [] }
        let banks = try banks()
        let groups = [task.contentSemantics] + task.blendSemantics
        guard task.content.shape == size, groups.count == banks.count,
              zip(banks, groups).allSatisfy({ bank, groups in
                  groups.count == bank.semanticWeights.count
                      && (Self.semanticChannels(of: bank).map { $0 == groups.map(\.channels) } ?? true)
                      && groups.allSatisfy { $0.width == size.width && $0.height == size.height }
              }),
              !task.result.isEmpty, PixelRect(width: size.width, height: size.height).contains(task.result)
        else {
            throw PipelineError.task(reason: "\(task.key): pixels, DSS groups and rectangles do not fit together")
        }
        let shares = [currentStyle?.share ?? 1] + (currentStyle?.blend.map(\.share) ?? [])
        // The task's seed drives everything random in the tile's optimisation (none with the exact
        // search), so a tile's result depends on its task alone.
        var settings = current.settings
        settings.seed = task.seed
        let objective = try LevelObjective(
            vgg: vgg, settings: settings,
            styles: zip(zip(banks, groups), shares).map {
                LevelObjective.StyleShare(bank: $0.0, contentSemantics: $0.1, weight: $1)
            },
            content: task.content)
        let whole = task.result == PixelRect(width: size.width, height: size.height)
        let watch = iterationFinished.map { watch in
            { (iteration: Int, _: Tensor) in
                let terms = objective.lastTerms
                try watch(task.key, iteration, terms.content + terms.style + terms.tv)
            }
        }
        return try objective.optimise(
            image, iterations: task.iterations, free: whole ? nil : task.result, iterationFinished: watch)
    }

    /// The channels of each DSS group the bank's patch terms were built with (nil for Gram terms only).
    private static func semanticChannels(of bank: StyleBank) -> [Int]? {
        for (_, term) in bank.terms {
            if case .patches(let patches) = term { return patches.semanticChannels }
        }
        return nil
    }
}
