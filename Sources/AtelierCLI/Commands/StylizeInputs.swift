import Foundation
import ImageIO
import Network
import Semantics
import Tensor
import Transfer

/// Turns the files given to `stylize` into the stylizer's inputs: the images as tensors and,
/// in `dss` mode, the deep semantic space of both (segmentation and illumination groups).
struct StylizeInputs {
    var content: Raster
    var style: Raster
    var contentPath: String
    var stylePath: String
    var contentSeg: String?
    var styleSeg: String?
    var contentLight: String?
    var styleLight: String?

    func make(settings: TransferSettings, vgg: VGG) throws -> MultiScaleStylizer.Inputs {
        let inputs = MultiScaleStylizer.Inputs(content: content.rgbTensor(), style: style.rgbTensor())
        guard settings.mode == .dss, settings.semanticWeight > 0 || settings.illuminationWeight > 0 else {
            return inputs
        }
        let guides = DeepSemanticSpace.Guides(
            contentMap: try contentSeg.map { try GuideMap(contentsOf: $0) },
            styleMap: try styleSeg.map { try GuideMap(contentsOf: $0) },
            contentLight: try contentLight.map { try GuideMap(contentsOf: $0) },
            styleLight: try styleLight.map { try GuideMap(contentsOf: $0) })
        // Deep features only feed the automatic segmentation, which runs when no maps are given.
        let needsFeatures = contentSeg == nil && settings.semanticWeight > 0
        let features = needsFeatures
            ? (try SegmentationFeatures.of(inputs.content, vgg: vgg), try SegmentationFeatures.of(inputs.style, vgg: vgg))
            : nil
        let space = try DeepSemanticSpace(
            content: inputs.content, style: inputs.style, guides: guides, features: features,
            automaticSegmentation: AutomaticSegmentation(k: settings.segments, seed: settings.seed))
        return MultiScaleStylizer.Inputs(content: inputs.content, style: inputs.style, space: space, settings: settings)
    }
}
