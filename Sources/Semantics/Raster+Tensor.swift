import ImageIO
import Tensor

/// Conversions between ImageIO's rasters and the engine's tensors: both are Float32, planar and
/// in 0…1, so only the channel count changes. They live here because Semantics is the first
/// module that depends on both ImageIO and Tensor.
extension Raster {
    /// The colour of the image as a 3×H×W RGB tensor: alpha is dropped, grey is repeated.
    public func rgbTensor() -> Tensor {
        let colour = colour()
        let planes =
            colour.channelCount == 3 ? colour.samples : Array([[Float]](repeating: colour.samples, count: 3).joined())
        return Tensor(Shape(channels: 3, height: height, width: width), values: planes)
    }

    /// An 8-bit grey raster holding the single-channel `tensor` (values clamped to 0…1).
    public static func gray(_ tensor: Tensor) -> Raster {
        precondition(tensor.channels == 1, "a grey raster from \(tensor.shape)")
        return clamped(tensor, layout: .gray, bitDepth: .eight)
    }

    /// An RGB raster (8-bit unless told) holding the three-channel `tensor` (values clamped to 0…1).
    public static func rgb(_ tensor: Tensor, bitDepth: BitDepth = .eight) -> Raster {
        precondition(tensor.channels == 3, "an RGB raster from \(tensor.shape)")
        return clamped(tensor, layout: .rgb, bitDepth: bitDepth)
    }

    private static func clamped(_ tensor: Tensor, layout: ChannelLayout, bitDepth: BitDepth) -> Raster {
        Raster(
            width: tensor.width, height: tensor.height, layout: layout, bitDepth: bitDepth,
            samples: tensor.array.map { min(max($0, 0), 1) })
    }
}
