import Semantics
import Tensor

/// The starting image `palette`: the content recoloured region by region so that each region's
/// colour mean and spread are those of the style's region with the same label (Reinhard et al.
/// 2001's colour transfer, applied per region of the deep semantic space).
///
/// Why: the default VGG-16 (HED weights, tuned for edges) barely sees colour at relu3_1 and
/// relu4_1, so starting from the content's own colours the patch loss leaves them in place or
/// lets them drift to green and magenta. Starting from the style's palette, region by region, the
/// loss only has to paint the strokes.
///
/// Colours are matched channel by channel in a decorrelated opponent space (luminance, red–green,
/// yellow–blue), so that matching one channel barely disturbs the others.
public enum PaletteTransfer {
    /// Standard-deviation ratios are kept in this range: a flat content region (a doodle's map)
    /// would otherwise be blown up into noise, or a flat style region crush all contrast.
    static let ratioRange: ClosedRange<Float> = 0.25...4

    /// - Parameters:
    ///   - content, style: RGB 3×H×W and 3×Hs×Ws in [0, 1].
    ///   - labels: the content's and the style's segmentations at those sizes (shared label
    ///     indices), or nil to match the whole images. A label the style lacks takes the style's
    ///     global statistics.
    /// - Returns: the recoloured content, RGB 3×H×W clamped to [0, 1].
    public static func apply(content: Tensor, style: Tensor, labels: (content: LabelMap, style: LabelMap)?) -> Tensor {
        precondition(content.channels == 3 && style.channels == 3, "palette transfer works on RGB images")
        let contentLabels = labels?.content.labels ?? [Int32](repeating: 0, count: content.height * content.width)
        let styleLabels = labels?.style.labels ?? [Int32](repeating: 0, count: style.height * style.width)
        precondition(contentLabels.count == content.height * content.width, "content labels do not match the content")
        precondition(styleLabels.count == style.height * style.width, "style labels do not match the style")
        let count = labels?.content.count ?? 1

        let contentOpponent = opponent(content), styleOpponent = opponent(style)
        let contentStats = statistics(contentOpponent, labels: contentLabels, count: count)
        let styleStats = statistics(styleOpponent, labels: styleLabels, count: count)
        let styleGlobal = statistics(styleOpponent, labels: [Int32](repeating: 0, count: styleLabels.count), count: 1)[0]

        let result = Tensor(content.shape)
        let pixels = content.height * content.width
        for p in 0..<pixels {
            let label = Int(contentLabels[p])
            let source = contentStats[label]
            let target = styleStats[label].weight > 0 ? styleStats[label] : styleGlobal
            var value = SIMD3<Float>()
            for c in 0..<3 {
                let ratio = source.spread[c] > 1e-6
                    ? min(max(target.spread[c] / source.spread[c], ratioRange.lowerBound), ratioRange.upperBound) : 1
                value[c] = (contentOpponent[c * pixels + p] - source.mean[c]) * ratio + target.mean[c]
            }
            let rgb = rgbFromOpponent(value)
            for c in 0..<3 { result[flat: c * pixels + p] = min(max(rgb[c], 0), 1) }
        }
        return result
    }

    struct Statistics {
        var mean = SIMD3<Float>()
        var spread = SIMD3<Float>()
        var weight = 0.0
    }

    /// Mean and standard deviation of each channel over each label's pixels (Float64 sums).
    static func statistics(_ planes: [Float], labels: [Int32], count: Int) -> [Statistics] {
        let pixels = labels.count
        var sums = [SIMD3<Double>](repeating: .zero, count: count)
        var squares = [SIMD3<Double>](repeating: .zero, count: count)
        var weights = [Double](repeating: 0, count: count)
        for p in 0..<pixels {
            let label = Int(labels[p])
            let v = SIMD3<Double>(Double(planes[p]), Double(planes[pixels + p]), Double(planes[2 * pixels + p]))
            sums[label] += v
            squares[label] += v * v
            weights[label] += 1
        }
        return (0..<count).map { label in
            guard weights[label] > 0 else { return Statistics() }
            let mean = sums[label] / weights[label]
            let variance = squares[label] / weights[label] - mean * mean
            let spread = SIMD3<Double>(variance.x.squareRoot(), variance.y.squareRoot(), variance.z.squareRoot())
            return Statistics(
                mean: SIMD3<Float>(Float(mean.x), Float(mean.y), Float(mean.z)),
                spread: SIMD3<Float>(Float(max(0, spread.x)), Float(max(0, spread.y)), Float(max(0, spread.z))),
                weight: weights[label])
        }
    }

    /// RGB planes → opponent planes (luminance, red − green, yellow − blue), channel-major.
    static func opponent(_ image: Tensor) -> [Float] {
        let pixels = image.height * image.width
        var planes = [Float](repeating: 0, count: 3 * pixels)
        for p in 0..<pixels {
            let r = image[flat: p], g = image[flat: pixels + p], b = image[flat: 2 * pixels + p]
            planes[p] = (r + g + b) / 3
            planes[pixels + p] = r - g
            planes[2 * pixels + p] = (r + g) / 2 - b
        }
        return planes
    }

    /// The inverse of `opponent` for one pixel.
    static func rgbFromOpponent(_ v: SIMD3<Float>) -> SIMD3<Float> {
        // l = (r+g+b)/3, a = r−g, y = (r+g)/2 − b  ⇒  b = l − 2y/3, r + g = 2(l + y/3).
        let blue = v.x - 2 * v.z / 3
        let redPlusGreen = 2 * (v.x + v.z / 3)
        return SIMD3<Float>((redPlusGreen + v.y) / 2, (redPlusGreen - v.y) / 2, blue)
    }
}
