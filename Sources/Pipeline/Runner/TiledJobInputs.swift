import ImageIO
import Tensor
import Transfer

/// A job's inputs as the tiled runner takes them (STYLE.md §5: a request is a rectangle): the
/// style of each level, whole (it is small), and the content and its DSS groups of each level by
/// rectangle. In memory for ordinary jobs (`MultiScaleStylizer.Inputs`); read from the content
/// file by region for gigapixel ones (`StreamingJobInputs`).
public protocol TiledJobInputs {
    /// Each DSS group's weight in the matching score (the style message's, in `dss` mode).
    var semanticWeights: [Float] { get }
    /// Which group is the segmentation, if any.
    var segmentationGroup: Int? { get }
    /// The channels of each style DSS group under `settings` (none outside `dss` mode).
    func semanticGroupChannels(settings: TransferSettings) -> [Int]
    /// The style and its DSS groups at `level` (`MultiScaleStylizer.style(of:at:…)`).
    func style(
        at level: LevelPlan.Level, outputWidth: Int, outputHeight: Int, settings: TransferSettings
    ) throws -> (image: Tensor, semantics: [Tensor])
    /// The content and its DSS groups at `level`, by rectangle.
    func sources(at level: LevelPlan.Level, settings: TransferSettings) throws -> LevelSources
    /// Writes the coarsest level's starting image into `canvas` (the content, or its palette start).
    func start(at level: LevelPlan.Level, sources: LevelSources, settings: TransferSettings, into canvas: any Canvas)
        throws
    /// The first painting's share of the style loss, and the other paintings of a blend at
    /// `level` (each with its DSS, weights and share; `sources` then gives the content's DSS
    /// groups paired with each). One painting: share 1, no others.
    func blend(
        at level: LevelPlan.Level, outputWidth: Int, outputHeight: Int, settings: TransferSettings
    ) throws -> (share: Float, others: [BlendedStyle])
}

extension TiledJobInputs {
    public func blend(
        at level: LevelPlan.Level, outputWidth: Int, outputHeight: Int, settings: TransferSettings
    ) throws -> (share: Float, others: [BlendedStyle]) {
        (1, [])
    }
}

/// A level's fixed inputs (the content and its DSS groups at the level's size), from which each
/// tile's task takes its context rectangle.
public struct LevelSources {
    /// The content's pixels (3 × rect) of a level rectangle.
    let content: (PixelRect) throws -> Tensor
    /// The DSS groups (Kᵢ × rect) of a level rectangle.
    let semantics: (PixelRect) throws -> [Tensor]
    /// The DSS groups paired with each other painting of a blend (none for one painting).
    var blendSemantics: (PixelRect) throws -> [[Tensor]] = { _ in [] }

    public init(content: @escaping (PixelRect) throws -> Tensor, semantics: @escaping (PixelRect) throws -> [Tensor]) {
        self.content = content
        self.semantics = semantics
    }

    /// Sources over whole-level tensors held in memory (`blend`: the groups paired with each
    /// other painting of a blend).
    init(content: Tensor, semantics: [Tensor], blend: [[Tensor]] = []) {
        let contentCanvas = MemoryCanvas(content), semanticCanvases = semantics.map(MemoryCanvas.init)
        self.init(content: { contentCanvas.read($0) }, semantics: { rect in semanticCanvases.map { $0.read(rect) } })
        let blendCanvases = blend.map { $0.map(MemoryCanvas.init) }
        blendSemantics = { rect in blendCanvases.map { canvases in canvases.map { $0.read(rect) } } }
    }

    /// The task of `tile`: the canvas, the content and the DSS over its context.
    /// - Parameter quantisesGuides: round the DSS groups' values in 0…1 to 16 bits (steps of
    ///   1/65535), so that they travel in two bytes a value instead of four (`SampleCoding.unorm16`)
    ///   and the smooth illumination deflates to almost nothing. The guides enter the matching
    ///   score through a cosine; a change of 10⁻⁵ in them moves no seam a viewer could see. Levels
    ///   solved whole keep theirs exact, so that a job that never tiles stays `MultiScaleStylizer`'s.
    func task(
        key: TileResultKey, tile: Tile, canvas: any Canvas, styleSet: UInt64, iterations: Int, seed: UInt64,
        quantisesGuides: Bool
    ) throws -> TaskMessage {
        let guides = try semantics(tile.context), blended = try blendSemantics(tile.context)
        if quantisesGuides { (guides + blended.flatMap { $0 }).forEach(Self.quantise) }
        return TaskMessage(
            key: key, styleSet: styleSet, context: tile.context, result: tile.resultInContext, iterations: iterations,
            seed: seed, initial: canvas.read(tile.context), content: try content(tile.context),
            contentSemantics: guides, blendSemantics: blended)
    }

    /// Rounds every value in 0…1 of `tensor` to the nearest q / 65535, as `SampleCoding.unorm16`
    /// reads it back (others are left as they are: the tensor then travels as Float32).
    static func quantise(_ tensor: Tensor) {
        tensor.withUnsafeMutableBufferPointer { values in
            for index in values.indices where values[index] >= 0 && values[index] <= 1 {
                values[index] = (values[index] * 65535).rounded() * (1 / Float(65535))
            }
        }
    }
}

/// The in-memory inputs: every level made whole from the images, as `MultiScaleStylizer` does.
extension MultiScaleStylizer.Inputs: TiledJobInputs {
    public func semanticGroupChannels(settings: TransferSettings) -> [Int] {
        settings.mode == .dss ? styleSemantics.map(\.channels) : []
    }

    public func style(
        at level: LevelPlan.Level, outputWidth: Int, outputHeight: Int, settings: TransferSettings
    ) throws -> (image: Tensor, semantics: [Tensor]) {
        MultiScaleStylizer.style(
            of: self, at: level.schedule, outputWidth: outputWidth, outputHeight: outputHeight, settings: settings)
    }

    public func sources(at level: LevelPlan.Level, settings: TransferSettings) throws -> LevelSources {
        let (content, semantics) = MultiScaleStylizer.content(of: self, at: level.schedule, settings: settings)
        let blended = blend.dropFirst().map {
            MultiScaleStylizer.content(of: $0.inputs, at: level.schedule, settings: settings).semantics
        }
        return LevelSources(content: content, semantics: semantics, blend: blended)
    }

    public func blend(
        at level: LevelPlan.Level, outputWidth: Int, outputHeight: Int, settings: TransferSettings
    ) throws -> (share: Float, others: [BlendedStyle]) {
        let dss = settings.mode == .dss
        return (paintings[0].share, blend.dropFirst().map { painting, share in
            let (style, semantics) = MultiScaleStylizer.style(
                of: painting, at: level.schedule, outputWidth: outputWidth, outputHeight: outputHeight,
                settings: settings)
            return BlendedStyle(
                style: style, styleSemantics: semantics, semanticWeights: dss ? painting.semanticWeights : [],
                segmentationGroup: dss ? painting.segmentationGroup : nil, share: share)
        })
    }

    public func start(at level: LevelPlan.Level, sources: LevelSources, settings: TransferSettings, into canvas: any Canvas)
        throws
    {
        let whole = PixelRect(width: level.width, height: level.height)
        canvas.write(MultiScaleStylizer.start(of: self, at: level.schedule, content: try sources.content(whole)), at: whole)
    }
}
