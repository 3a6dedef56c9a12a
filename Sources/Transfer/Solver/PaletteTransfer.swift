import Semantics
import Tensor

/// The starting image `palette`: the content recoloured region by region, and within a region
/// light band by light band, so that each cell's colour mean and spread are those of the style's
/// cell with the same label and light (Reinhard et al. 2001's colour transfer, applied per cell of
/// the deep semantic space).
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
    ///   - light: the content's and the style's lighting levels in [0, 1] in their first channel
    ///     (a 1×H×W level, or the DSS's (L, 1 − L) group), at the images' sizes, or nil. With them each region is matched per light band, lit with lit and shadowed with
    ///     shadowed: a pixel of level L takes L of the lit band's transfer and 1 − L of the
    ///     shadowed band's (the DSS's own encoding), so the bands blend without a seam.
    /// - Returns: the recoloured content, RGB 3×H×W clamped to [0, 1].
    public static func apply(
        content: Tensor, style: Tensor, labels: (content: LabelMap, style: LabelMap)?,
        light: (content: Tensor, style: Tensor)? = nil
    ) -> Tensor {
        precondition(content.channels == 3 && style.channels == 3, "palette transfer works on RGB images")
        let contentLabels = labels?.content.labels ?? [Int32](repeating: 0, count: content.height * content.width)
        let styleLabels = labels?.style.labels ?? [Int32](repeating: 0, count: style.height * style.width)
        precondition(contentLabels.count == content.height * content.width, "content labels do not match the content")
        precondition(styleLabels.count == style.height * style.width, "style labels do not match the style")
        precondition(
            light.map { $0.content.shape.planeCount == contentLabels.count && $0.style.shape.planeCount == styleLabels.count }
                ?? true, "lighting levels do not match the images")
        let count = labels?.content.count ?? 1
        let bands = light == nil ? 1 : 2
        // A pixel's weight in band b: L for the lit band, 1 − L for the shadowed one.
        func bandWeights(_ level: Tensor?, pixels: Int) -> [[Float]] {
            guard let level else { return [[Float](repeating: 1, count: pixels)] }
            let lit = (0..<pixels).map { min(max(level[flat: $0], 0), 1) }
            return [lit, lit.map { 1 - $0 }]
        }
        let contentBands = bandWeights(light?.content, pixels: contentLabels.count)
        let styleBands = bandWeights(light?.style, pixels: styleLabels.count)

        let contentOpponent = opponent(content), styleOpponent = opponent(style)
        let contentStats = contentBands.map { statistics(contentOpponent, labels: contentLabels, count: count, weights: $0) }
        let styleStats = styleBands.map { statistics(styleOpponent, labels: styleLabels, count: count, weights: $0) }
        let styleRegions = statistics(styleOpponent, labels: styleLabels, count: count)
        let styleGlobal = statistics(styleOpponent, labels: [Int32](repeating: 0, count: styleLabels.count), count: 1)[0]

        let result = Tensor(content.shape)
        let pixels = content.height * content.width
        for p in 0..<pixels {
            let label = Int(contentLabels[p])
            var rgb = SIMD3<Float>()
            for b in 0..<bands {
                let weight = contentBands[b][p]
                guard weight > 0 else { continue }
                let source = contentStats[b][label]
                // A band the style's region barely has takes the region's statistics; a region it
                // lacks, the whole style's.
                let target = styleStats[b][label].weight >= minimumWeight ? styleStats[b][label]
                    : styleRegions[label].weight > 0 ? styleRegions[label] : styleGlobal
                var value = SIMD3<Float>()
                for c in 0..<3 {
                    let ratio = source.spread[c] > 1e-6
                        ? min(max(target.spread[c] / source.spread[c], ratioRange.lowerBound), ratioRange.upperBound) : 1
                    value[c] = (contentOpponent[c * pixels + p] - source.mean[c]) * ratio + target.mean[c]
                }
                rgb += weight * rgbFromOpponent(value)
            }
            for c in 0..<3 { result[flat: c * pixels + p] = min(max(rgb[c], 0), 1) }
        }
        return result
    }

    /// The content recoloured so that each DSS cell takes the whole colour distribution of the
    /// style's cell (`DistributionTransfer`), not only its mean and spread: the `init:
    /// distribution` start and the colour finish. Per label; with `light`, each pixel's light level
    /// is a fourth coordinate matched jointly with its colour, so that within a region the lit
    /// pixels take the lit part of the style region's colours and the shadowed ones the shadowed
    /// part (the light levels of a region's pixels are ranked against the style region's).
    /// The light coordinate is scaled by `lightScale`.
    public static func matchDistributions(
        content: Tensor, style: Tensor, labels: (content: LabelMap, style: LabelMap)?,
        light: (content: Tensor, style: Tensor)? = nil, seed: UInt64 = 0
    ) -> Tensor {
        precondition(content.channels == 3 && style.channels == 3, "palette transfer works on RGB images")
        let pixels = content.shape.planeCount, stylePixels = style.shape.planeCount
        let contentLabels = labels?.content.labels ?? [Int32](repeating: 0, count: pixels)
        let styleLabels = labels?.style.labels ?? [Int32](repeating: 0, count: stylePixels)
        precondition(contentLabels.count == pixels && styleLabels.count == stylePixels, "labels do not match the images")
        func point(_ image: Tensor, _ level: Tensor?, _ p: Int, _ plane: Int) -> SIMD4<Float> {
            SIMD4(image[flat: p], image[flat: plane + p], image[flat: 2 * plane + p],
                  level.map { lightScale * $0[flat: p] } ?? 0)
        }
        let count = labels?.content.count ?? 1
        var contentMembers = [[Int]](repeating: [], count: count), styleMembers = [[Int]](repeating: [], count: count)
        for p in 0..<pixels { contentMembers[Int(contentLabels[p])].append(p) }
        for p in 0..<stylePixels { styleMembers[Int(styleLabels[p])].append(p) }
        let result = Tensor(content.shape)
        for label in 0..<count where !contentMembers[label].isEmpty {
            let members = contentMembers[label]
            let region = styleMembers[label].isEmpty ? Array(0..<stylePixels) : styleMembers[label]
            var points = members.map { point(content, light?.content, $0, pixels) }
            let target = region.map { point(style, light?.style, $0, stylePixels) }
            if light == nil {
                var colours = points.map { SIMD3($0.x, $0.y, $0.z) }
                DistributionTransfer.transfer(&colours, to: target.map { SIMD3($0.x, $0.y, $0.z) }, seed: seed &+ UInt64(label))
                points = colours.map { SIMD4($0, 0) }
            } else {
                DistributionTransfer.transfer(&points, to: target, seed: seed &+ UInt64(label))
            }
            for (i, p) in members.enumerated() {
                for c in 0..<3 { result[flat: c * pixels + p] = min(max(points[i][c], 0), 1) }
            }
        }
        return result
    }

    /// The DSS regions of `image` and `style` read from DSS groups, as the stylizer holds them
    /// (`MultiScaleStylizer.Inputs`), for the colour finish: each pixel's label is the
    /// segmentation group's largest channel, the group resampled (area) to its image's size when
    /// it has another. Nil without a segmentation group.
    public static func regions(
        _ image: Tensor, style: Tensor, imageSemantics: [Tensor], styleSemantics: [Tensor], segmentationGroup: Int?
    ) -> (content: LabelMap, style: LabelMap)? {
        func labels(_ group: Tensor, like target: Tensor) -> LabelMap {
            let group = MultiScaleStylizer.resized(group, width: target.width, height: target.height, kind: .area)
            let plane = group.shape.planeCount
            let winners = (0..<plane).map { p in
                Int32((0..<group.channels).max { group[flat: $0 * plane + p] < group[flat: $1 * plane + p] } ?? 0)
            }
            return LabelMap(width: group.width, height: group.height, count: group.channels, labels: winners)
        }
        return segmentationGroup.map { index in
            (content: labels(imageSemantics[index], like: image), style: labels(styleSemantics[index], like: style))
        }
    }

    /// How far apart light levels 0 and 1 are against colours (RGB, 0…1) in the joint transport:
    /// with 1, sliced transport left about half of a region's shadowed pixels in lit colours (the
    /// colours' own spread outweighed the light); from 3 on, lit and shadowed pixels were kept apart.
    static let lightScale: Float = 4

    /// The least weight (in pixels) a style region's band needs for its own statistics.
    static let minimumWeight = 4.0

    struct Statistics {
        var mean = SIMD3<Float>()
        var spread = SIMD3<Float>()
        var weight = 0.0
    }

    /// Mean and standard deviation of each channel over each label's pixels, each pixel counted
    /// with its weight (1 when none are given; Float64 sums).
    static func statistics(_ planes: [Float], labels: [Int32], count: Int, weights: [Float]? = nil) -> [Statistics] {
        let pixels = labels.count
        var sums = [SIMD3<Double>](repeating: .zero, count: count)
        var squares = [SIMD3<Double>](repeating: .zero, count: count)
        var totals = [Double](repeating: 0, count: count)
        for p in 0..<pixels {
            let label = Int(labels[p])
            let w = Double(weights?[p] ?? 1)
            let v = SIMD3<Double>(Double(planes[p]), Double(planes[pixels + p]), Double(planes[2 * pixels + p]))
            sums[label] += w * v
            squares[label] += w * v * v
            totals[label] += w
        }
        return (0..<count).map { label in
            guard totals[label] > 0 else { return Statistics() }
            let mean = sums[label] / totals[label]
            let variance = squares[label] / totals[label] - mean * mean
            let spread = SIMD3<Double>(
                max(0, variance.x).squareRoot(), max(0, variance.y).squareRoot(), max(0, variance.z).squareRoot())
            return Statistics(
                mean: SIMD3<Float>(Float(mean.x), Float(mean.y), Float(mean.z)),
                spread: SIMD3<Float>(Float(spread.x), Float(spread.y), Float(spread.z)),
                weight: totals[label])
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
