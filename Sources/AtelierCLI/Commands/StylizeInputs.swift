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
        var inputs = MultiScaleStylizer.Inputs(content: content.rgbTensor(), style: style.rgbTensor())
        guard settings.mode == .dss else { return inputs }
        _ = vgg
        _ = inputs
        throw UsageError("mode dss needs the Semantics module (not yet merged)")
    }
}
