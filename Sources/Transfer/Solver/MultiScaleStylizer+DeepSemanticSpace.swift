import Semantics
import Tensor

extension MultiScaleStylizer.Inputs {
    /// The inputs of a run guided by `space`: in `dss` mode, the space's groups whose weight in
    /// `settings` is not 0 (segmentation, illumination), at the images' resolutions, with those
    /// weights; in the other modes, the images alone (`mrf` and `gatys` match on features only).
    /// The command line and the tests build their inputs here, so both run the same method.
    /// - Parameters:
    ///   - content, style: RGB 3×H×W and 3×Hs×Ws in 0…1; `space` was made from them.
    public init(content: Tensor, style: Tensor, space: DeepSemanticSpace, settings: TransferSettings) {
        self.init(content: content, style: style)
        guard settings.mode == .dss else { return }
        let (kept, weights) = space.keeping(
            segmentationWeight: settings.semanticWeight, illuminationWeight: settings.illuminationWeight)
        contentSemantics = kept.content.groups(height: content.height, width: content.width)
        styleSemantics = kept.style.groups(height: style.height, width: style.width)
        semanticWeights = weights
        // `SemanticStack.groups` puts the segmentation first when it is there.
        segmentationGroup = kept.content.segmentation == nil ? nil : 0
    }
}
