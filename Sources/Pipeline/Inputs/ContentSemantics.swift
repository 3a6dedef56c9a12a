import ImageIO
import Semantics
import Tensor
import Transfer

/// The deep semantic space of a content that is only read by rectangle (DESIGN.md §2): built once
/// per job, then asked for the DSS groups of any rectangle of any level, so that every tile agrees
/// on which region and which light a pixel is in.
///
/// What is global is computed once on a small copy: the automatic segmentation and the estimated
/// illumination run on the content area-averaged to a long side of at most `workingSide` (the
/// copy is the content itself when it is that small), together with the style, by `Semantics`'
/// own code. What the user gives is kept at its own resolution: a label map (any size, matched to
/// the style's by colour) and a lighting map. Both are then taken, as the in-memory path does, to
/// the content's full resolution (labels by nearest neighbour, lighting bilinear), encoded, and
/// area-averaged to the level, one rectangle at a time. For a content no larger than the working
/// side this equals `MultiScaleStylizer.Inputs(content:style:space:settings:)` followed by
/// `MultiScaleStylizer.content(of:at:settings:)` bit for bit.
public struct ContentSemantics: Sendable {
    /// The DSS groups of the style at its own resolution, as `MultiScaleStylizer.Inputs` holds
    /// them (`styleSemantics`), and each group's weight: what the style side of a level needs.
    public let styleSemantics: [Tensor]
    public let semanticWeights: [Float]
    /// The content's size in pixels.
    public let contentSize: PixelSize
    /// The content's labels at their own resolution (the user map's or the working copy's).
    let segmentation: LabelMap?
    /// The content's lighting level, 1×h×w at its own resolution.
    let illumination: Tensor?
    /// The style's labels at the style's resolution (for the palette start).
    let styleSegmentation: LabelMap?

    /// - Parameters:
    ///   - content: the content file; read whole only when its long side is at most `workingSide`.
    ///   - style: the style image, RGB 3×Hs×Ws in 0…1.
    ///   - guides: the user's maps (both or neither of each kind), read whole.
    ///   - workingSide: the long side of the copy that the automatic segmentation and the
    ///     illumination estimate run on.
    ///   - features: the deep features the automatic segmentation clusters on (the CLI's
    ///     `SegmentationFeatures.of`), or nil for colour and position only.
    /// - Throws: `SemanticsError` for a map without its partner, maps that share no colour or are
    ///   not colour-coded; `ImageIOError` when the content cannot be read.
    public init(
        content: any ImageSource, style: Tensor, guides: DeepSemanticSpace.Guides = .init(),
        settings: TransferSettings, workingSide: Int = 1024, features: ((Tensor) throws -> Tensor)? = nil
    ) throws {
        precondition(workingSide > 0, "a working side of \(workingSide)")
        contentSize = PixelSize(width: content.info.width, height: content.info.height)
        let maps = try DeepSemanticSpace.pair(guides.contentMap, guides.styleMap, kind: .segmentation)
        let lights = try DeepSemanticSpace.pair(guides.contentLight, guides.styleLight, kind: .lighting)
        // The same gate as the command line's: no DSS outside `dss` mode or with both weights 0,
        // and a group whose weight is 0 is left out (`DeepSemanticSpace.keeping`).
        let used = settings.mode == .dss && (settings.semanticWeight > 0 || settings.illuminationWeight > 0)
        let keepsSegmentation = used && settings.semanticWeight != 0
        let keepsIllumination = used && settings.illuminationWeight != 0
        let styleSize = PixelSize(width: style.width, height: style.height)
        let needsCopy = (keepsSegmentation && maps == nil) || (keepsIllumination && lights == nil)
        let copy = needsCopy ? try ContentSemantics.workingCopy(of: content, longSide: workingSide) : nil

        var segmentation: (content: LabelMap, style: LabelMap)?
        if keepsSegmentation, let maps {
            let ownSize = PixelSize(width: maps.content.raster.width, height: maps.content.raster.height)
            segmentation = try ColourSegmentation().labels(
                contentMap: maps.content, styleMap: maps.style, contentSize: ownSize, styleSize: styleSize)
        } else if keepsSegmentation, let copy {
            let automatic = AutomaticSegmentation(k: settings.segments, seed: settings.seed)
            let deep = try features.map { (try $0(copy), try $0(style)) }
            segmentation = automatic.labels(
                content: copy, style: style, contentFeatures: deep?.0, styleFeatures: deep?.1)
        }
        var lighting: (content: Tensor, style: Tensor)?
        let illumination = Illumination()
        if keepsIllumination, let lights {
            let ownSize = PixelSize(width: lights.content.raster.width, height: lights.content.raster.height)
            lighting = (illumination.level(of: lights.content, size: ownSize),
                        illumination.level(of: lights.style, size: styleSize))
        } else if keepsIllumination, let copy {
            lighting = (illumination.estimate(copy), illumination.estimate(style))
        }
        self.segmentation = segmentation?.content
        styleSegmentation = segmentation?.style
        self.illumination = lighting?.content
        styleSemantics = SemanticStack(segmentation: segmentation?.style, illumination: lighting?.style)
            .groups(height: style.height, width: style.width)
        semanticWeights = (keepsSegmentation ? [settings.semanticWeight] : [])
            + (keepsIllumination ? [settings.illuminationWeight] : [])
    }

    /// The content area-averaged to a long side of at most `longSide` (itself when it fits).
    static func workingCopy(of content: any ImageSource, longSide: Int) throws -> Tensor {
        let (width, height) = (content.info.width, content.info.height)
        let scale = min(1, Double(longSide) / Double(max(width, height)))
        let level = LevelContentSource(
            source: content, width: max(1, Int((Double(width) * scale).rounded())),
            height: max(1, Int((Double(height) * scale).rounded())))
        return try level.read(PixelRect(width: level.width, height: level.height))
    }

    /// The channel count of each group, in order (segmentation K, illumination 2).
    public var groupChannels: [Int] {
        (segmentation.map { [$0.count] } ?? []) + (illumination == nil ? [] : [2])
    }

    /// The DSS groups of a level of `width × height`, by rectangle.
    public func level(width: Int, height: Int) -> LevelSemantics {
        LevelSemantics(semantics: self, width: width, height: height)
    }
}
