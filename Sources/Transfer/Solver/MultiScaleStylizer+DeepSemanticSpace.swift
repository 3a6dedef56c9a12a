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
    }

    /// The `colour_finish` of a finished image (RGB, any size): its colours moved, cell by cell
    /// of the DSS in `dss` mode (globally otherwise), to the style's colour distribution
    /// (`PaletteTransfer.matchDistributions`), by the fraction `strength` of the way (0…1): each
    /// pixel is x + strength · (T(x) − x).
    public func colourFinish(_ image: Tensor, settings: TransferSettings, strength: Float = 1) -> Tensor {
        let guided = settings.mode == .dss
        let finished = PaletteTransfer.matchDistributions(
            image, style: style, imageSemantics: guided ? contentSemantics : [],
            styleSemantics: guided ? styleSemantics : [], segmentationGroup: guided ? segmentationGroup : nil,
            seed: settings.seed)
        guard strength < 1 else { return finished }
        finished.withUnsafeMutableBufferPointer { target in
            image.withUnsafeBufferPointer { source in
                for i in 0..<target.count { target[i] = source[i] + strength * (target[i] - source[i]) }
            }
        }
        return finished
    }
}
