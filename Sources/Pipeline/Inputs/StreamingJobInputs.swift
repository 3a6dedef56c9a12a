import ImageIO
import Semantics
import Tensor
import Transfer

/// The inputs of a job too large to hold (DESIGN.md §2): the content is read from its file by
/// region at each level (`LevelContentSource`), its DSS groups come by rectangle from
/// `ContentSemantics` (global maps from a working copy, given maps resampled), and only the style
/// (small, and capped per level by `style_max_side`) is held whole.
///
/// The palette start is made at the coarsest level's size from that level's content and labels
/// (nearest-neighbour), where the in-memory path recolours the full-resolution content and then
/// shrinks it: the coarsest level is small, the full content is not.
public struct StreamingJobInputs: TiledJobInputs {
    public let content: any ImageSource
    /// RGB 3×Hs×Ws in 0…1.
    public let style: Tensor
    public let semantics: ContentSemantics

    public init(content: any ImageSource, style: Tensor, semantics: ContentSemantics) {
        self.content = content
        self.style = style
        self.semantics = semantics
    }

    public var semanticWeights: [Float] { semantics.semanticWeights }
    /// `SemanticStack.groups` puts the segmentation first when it is there.
    public var segmentationGroup: Int? { semantics.segmentation == nil ? nil : 0 }

    public func semanticGroupChannels(settings: TransferSettings) -> [Int] {
        settings.mode == .dss ? semantics.styleSemantics.map(\.channels) : []
    }

    public func style(
        at level: LevelPlan.Level, outputWidth: Int, outputHeight: Int, settings: TransferSettings
    ) throws -> (image: Tensor, semantics: [Tensor]) {
        MultiScaleStylizer.style(
            style, semantics: semantics.styleSemantics, at: level.schedule, outputWidth: outputWidth,
            outputHeight: outputHeight, settings: settings)
    }

    /// Levels of at most this many pixels (1 Mi: 12 MB of RGB floats) are made whole, in memory:
    /// each read of a coarse level goes through the whole content file, and its start and its
    /// tasks would read it twice or more.
    public static let wholeLevelPixels = 1 << 20

    public func sources(at level: LevelPlan.Level, settings: TransferSettings) throws -> LevelSources {
        let content = LevelContentSource(source: content, width: level.width, height: level.height)
        let groups = semantics.level(width: level.width, height: level.height)
        guard level.width * level.height > Self.wholeLevelPixels else {
            let whole = PixelRect(width: level.width, height: level.height)
            return LevelSources(content: try content.read(whole), semantics: groups.groups(of: whole))
        }
        return LevelSources(content: { try content.read($0) }, semantics: { groups.groups(of: $0) })
    }

    public func start(at level: LevelPlan.Level, sources: LevelSources, settings: TransferSettings, into canvas: any Canvas)
        throws
    {
        let whole = PixelRect(width: level.width, height: level.height)
        let content = try sources.content(whole)
        guard settings.initialisation != .content else { return canvas.write(content, at: whole) }
        let labels = settings.mode == .dss
            ? semantics.segmentation.flatMap { labels in
                semantics.styleSegmentation.map { (labels.resized(width: level.width, height: level.height), $0) }
            }
            : nil
        // The illumination group, when kept, is the last; its first channel is the level L.
        let light = settings.mode == .dss && semantics.illumination != nil
            ? try sources.semantics(whole).last.flatMap { level in semantics.styleSemantics.last.map { (level, $0) } }
            : nil
        let start = settings.initialisation == .palette
            ? PaletteTransfer.apply(content: content, style: style, labels: labels, light: light)
            : PaletteTransfer.matchDistributions(
                content: content, style: style, labels: labels, light: light, seed: settings.seed)
        canvas.write(start, at: whole)
    }
}
