import ImageIO
import Semantics
import Tensor

/// The image written at the end of a run: the stylised colour, at the content's bit depth, with
/// the content's alpha carried over (resampled when the output size differs).
enum OutputImage {
    static func compose(_ result: Tensor, content: Raster) -> Raster {
        let colour = Raster.rgb(result, bitDepth: content.bitDepth)
        guard let alpha = content.alpha() else { return colour }
        var plane = alpha.samples
        if alpha.width != result.width || alpha.height != result.height {
            let source = Tensor(Shape(channels: 1, height: alpha.height, width: alpha.width), values: alpha.samples)
            let resized = Tensor(Shape(channels: 1, height: result.height, width: result.width))
            Resample.forward(source, into: resized, kind: .bilinear)
            plane = resized.array
        }
        return Raster(
            width: colour.width, height: colour.height, layout: .rgba, bitDepth: colour.bitDepth,
            samples: colour.samples + plane)
    }
}
