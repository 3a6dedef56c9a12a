import ImageIO
import Tensor

extension DeepSemanticSpace {
    /// The maps a user may give for a content–style pair: segmentation maps (colour-coded, or a
    /// renderer's object-ID pass) and lighting maps (grey, or a renderer's lighting pass). Each
    /// kind is given for both images or for neither.
    public struct Guides: Sendable {
        public var contentMap: GuideMap?
        public var styleMap: GuideMap?
        public var contentLight: GuideMap?
        public var styleLight: GuideMap?

        public init(
            contentMap: GuideMap? = nil, styleMap: GuideMap? = nil, contentLight: GuideMap? = nil,
            styleLight: GuideMap? = nil
        ) {
            self.contentMap = contentMap
            self.styleMap = styleMap
            self.contentLight = contentLight
            self.styleLight = styleLight
        }
    }

    /// The full DSS of a pair: segmentation from the user's maps or, without maps, the automatic
    /// one; lighting from the user's lighting maps or, without them, estimated from the images.
    /// - Parameters:
    ///   - content, style: the images, RGB 3×H×W in 0…1.
    ///   - features: deep features of both images from one layer for the automatic segmentation,
    ///     or nil for colour and position only.
    /// - Throws: `SemanticsError.missingPartnerMap` when a kind of map is given for one image
    ///   only, and the errors of `ColourSegmentation.labels(contentMap:styleMap:...)`.
    public init(
        content: Tensor, style: Tensor, guides: Guides = Guides(), features: (content: Tensor, style: Tensor)? = nil,
        colourSegmentation: ColourSegmentation = ColourSegmentation(),
        automaticSegmentation: AutomaticSegmentation = AutomaticSegmentation(),
        illumination: Illumination = Illumination()
    ) throws {
        let contentSize = PixelSize(width: content.width, height: content.height)
        let styleSize = PixelSize(width: style.width, height: style.height)
        let segmentation: (content: LabelMap, style: LabelMap)
        if let maps = try DeepSemanticSpace.pair(guides.contentMap, guides.styleMap, kind: .segmentation) {
            segmentation = try colourSegmentation.labels(
                contentMap: maps.content, styleMap: maps.style, contentSize: contentSize, styleSize: styleSize)
        } else {
            segmentation = automaticSegmentation.labels(
                content: content, style: style, contentFeatures: features?.content, styleFeatures: features?.style)
        }
        let lighting: (content: Tensor, style: Tensor)
        if let lights = try DeepSemanticSpace.pair(guides.contentLight, guides.styleLight, kind: .lighting) {
            lighting = (
                illumination.level(of: lights.content, size: contentSize),
                illumination.level(of: lights.style, size: styleSize)
            )
        } else {
            lighting = (illumination.estimate(content), illumination.estimate(style))
        }
        self.init(segmentation: segmentation, illumination: lighting)
    }

    /// Both maps, or nil for neither.
    /// - Throws: `SemanticsError.missingPartnerMap` for one without the other.
    public static func pair(
        _ content: GuideMap?, _ style: GuideMap?, kind: SemanticsError.MapKind
    ) throws -> (content: GuideMap, style: GuideMap)? {
        switch (content, style) {
        case (nil, nil): return nil
        case (let content?, let style?): return (content, style)
        case (let content?, nil):
            throw SemanticsError.missingPartnerMap(given: content.source, role: .content, kind: kind)
        case (nil, let style?): throw SemanticsError.missingPartnerMap(given: style.source, role: .style, kind: kind)
        }
    }
}
