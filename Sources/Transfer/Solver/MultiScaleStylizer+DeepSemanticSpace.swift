import Semantics
import Tensor

extension MultiScaleStylizer.Inputs {
    /// The inputs of a run guided by `space`: in `dss` mode, the space's groups whose weight in
    /// `settings` is not 0 (segmentation, illumination), at the images' resolutions, with those
    /// weights; in the other modes, the images alone (`mrf` and `gatys` match on features only).
    /// With `init: palette` the starting image is the content in the style's palette, matched
    /// per region and light band in `dss` mode (the space's segmentation and lighting) and
    /// globally otherwise.
    /// The command line and the tests build their inputs here, so both run the same method.
    /// - Parameters:
    ///   - content, style: RGB 3×H×W and 3×Hs×Ws in 0…1; `space` was made from them.
    public init(content: Tensor, style: Tensor, space: DeepSemanticSpace, settings: TransferSettings) {
        self.init(content: content, style: style)
        if settings.initialisation == .palette || settings.initialisation == .distribution {
            let labels = space.content.segmentation.flatMap { content in
                space.style.segmentation.map { (content: content, style: $0) } }
            let light = space.content.illumination.flatMap { content in
                space.style.illumination.map { (content: content, style: $0) } }
            let guided = settings.mode == .dss
            let cells = (labels: guided ? labels : nil, light: guided && settings.illuminationWeight > 0 ? light : nil)
            initial = settings.initialisation == .palette
                ? PaletteTransfer.apply(content: content, style: style, labels: cells.labels, light: cells.light)
                : PaletteTransfer.matchDistributions(
                    content: content, style: style, labels: cells.labels, light: cells.light, seed: settings.seed)
        }
        guard settings.mode == .dss else { return }
        let (kept, weights) = space.keeping(
            segmentationWeight: settings.semanticWeight, illuminationWeight: settings.illuminationWeight)
        contentSemantics = kept.content.groups(height: content.height, width: content.width)
        styleSemantics = kept.style.groups(height: style.height, width: style.width)
        semanticWeights = weights
        // `SemanticStack.groups` puts the segmentation first when it is there.
        segmentationGroup = kept.content.segmentation == nil ? nil : 0
        regionsAreDrawn = kept.content.segmentation?.palette != nil
    }

    /// The `colour_finish` of a finished image (RGB, any size): its colours moved to the style's
    /// colour distribution (`PaletteTransfer.matchDistributions`) region by region when the
    /// regions were drawn (colour-coded maps in `dss` mode), globally otherwise, with the change
    /// smoothed along the content's edges so the image keeps its drawing (`DisplacementSmoothing`;
    /// not without a content loss), by the fraction `strength` of the way (0…1).
    ///
    /// Automatic regions are left to the optimisation, whose patch matching already gives each its
    /// own strokes: their areas differ between photo and painting, and matching each to its own
    /// painting region pulled the whole palette away from the painting's (a cat painted as Starry
    /// Night at 256 px: colour 4.96 region by region against 2.5 globally, structure 0.77 and 0.79).
    /// Light is not matched here either: jointly with colour it cost structure (0.73–0.77 against
    /// 0.79) for no colour gained.
    public func colourFinish(_ image: Tensor, settings: TransferSettings, strength: Float = 1) -> Tensor {
        let drawn = settings.mode == .dss && regionsAreDrawn
        let regions = drawn
            ? PaletteTransfer.regions(
                image, style: style, imageSemantics: contentSemantics, styleSemantics: styleSemantics,
                segmentationGroup: segmentationGroup)
            : nil
        let transported = PaletteTransfer.matchDistributions(
            content: image, style: style, labels: regions, seed: settings.seed)
        if strength < 1 {
            transported.withUnsafeMutableBufferPointer { target in
                image.withUnsafeBufferPointer { source in
                    for i in 0..<target.count { target[i] = source[i] + strength * (target[i] - source[i]) }
                }
            }
        }
        // Without a content loss (a doodle) there is no drawing to keep: the change goes in whole.
        guard settings.contentWeight > 0 else { return transported }
        let guide = DisplacementSmoothing.guide(
            MultiScaleStylizer.resized(content, width: image.width, height: image.height))
        return DisplacementSmoothing.apply(
            image: image, finished: transported, guide: guide, labels: regions?.content.labels,
            count: regions?.content.count ?? 1, radius: DisplacementSmoothing.radius(height: image.height, width: image.width))
    }
}
