import Tensor

/// `preserve_colors`: luminance-only transfer (Gatys et al. 2017, *Controlling Perceptual
/// Factors in Neural Style Transfer*, §5): the output keeps the stylised image's luminance — the
/// strokes, the light — and takes its colour from the content, so a photo keeps its own palette.
///
/// Done on the finished image, in YIQ (luminance Y with NTSC's weights, chroma I and Q), as
/// neural-style's `-original_colors` does: Y from the stylised image, I and Q from the content
/// resized to the output's size.
public enum ColourPreservation {
    /// - Parameters:
    ///   - stylised: RGB 3×H×W in [0, 1].
    ///   - content: RGB in [0, 1] of the same size.
    /// - Returns: RGB 3×H×W, clamped to [0, 1].
    public static func apply(stylised: Tensor, content: Tensor) -> Tensor {
        precondition(stylised.channels == 3 && stylised.shape == content.shape,
                     "colour preservation needs two RGB images of one size, not \(stylised.shape) and \(content.shape)")
        let pixels = stylised.shape.planeCount
        let result = Tensor(stylised.shape)
        for p in 0..<pixels {
            let s = SIMD3<Float>(stylised[flat: p], stylised[flat: pixels + p], stylised[flat: 2 * pixels + p])
            let c = SIMD3<Float>(content[flat: p], content[flat: pixels + p], content[flat: 2 * pixels + p])
            let rgb = rgb(fromYIQ: SIMD3(yiq(s).x, yiq(c).y, yiq(c).z))
            for channel in 0..<3 { result[flat: channel * pixels + p] = min(max(rgb[channel], 0), 1) }
        }
        return result
    }

    static func yiq(_ rgb: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(
            0.299 * rgb.x + 0.587 * rgb.y + 0.114 * rgb.z,
            0.595_716 * rgb.x - 0.274_453 * rgb.y - 0.321_263 * rgb.z,
            0.211_456 * rgb.x - 0.522_591 * rgb.y + 0.311_135 * rgb.z)
    }

    static func rgb(fromYIQ v: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(
            v.x + 0.956_3 * v.y + 0.621_0 * v.z,
            v.x - 0.272_1 * v.y - 0.647_4 * v.z,
            v.x - 1.107_0 * v.y + 1.704_6 * v.z)
    }
}
