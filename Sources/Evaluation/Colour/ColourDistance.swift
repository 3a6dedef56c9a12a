import Semantics
import Tensor

/// The colour figure: how far the output's palette is from the painting's, as the sliced
/// Wasserstein distance between their pixels in CIELAB (ΔE-like units; 0 for the same colours in
/// the same proportions). Globally, and region by region when both images have label maps.
///
/// The painting is first scaled (aspect kept) so that its long side equals the output's, so that
/// both sets sample the pictures at one scale. Sets larger than `maximumSamples` pixels are
/// subsampled deterministically, every (n / `maximumSamples`)-th pixel in raster order (a
/// regular grid over the image), which keeps the cost at 64 sorts of 65 536 values per set.
public enum ColourDistance {
    /// The most pixels of one set that go into a distance.
    public static let maximumSamples = 65_536
    /// Regions smaller than this fraction of the output stay out of the area-weighted mean: a
    /// few hundred pixels make noisy quantiles, and they barely show.
    public static let minimumRegionArea = 0.01

    /// The distance between the output's pixels and the painting's.
    /// - Parameters:
    ///   - output: the stylised image, 3×H×W, sRGB in 0…1.
    ///   - painting: the style image, 3×H'×W', any size (scaled to the output's long side here).
    public static func global(
        output: Tensor, painting: Tensor, measure: SlicedWasserstein = SlicedWasserstein()
    ) -> Double {
        let scaled = painting.resized(longSide: output.longSide)
        return measure.distance(labPixels(of: output), labPixels(of: scaled))
    }

    /// The distance of each region: the output's pixels of label k (the content's map, resized by
    /// nearest neighbour to the output's size) against the painting's pixels of label k (the
    /// style's map, resized to the scaled painting's size). The maps' labels must be shared, as
    /// `ColourSegmentation.labels(contentMap:styleMap:…)` makes them; labels absent from the
    /// output are left out, and a label that the painting lacks has no figure (nil).
    public static func regions(
        output: Tensor, painting: Tensor, contentLabels: LabelMap, styleLabels: LabelMap,
        measure: SlicedWasserstein = SlicedWasserstein()
    ) -> [RegionColour] {
        precondition(contentLabels.count == styleLabels.count, "the two maps' labels must be shared")
        let scaled = painting.resized(longSide: output.longSide)
        let outputPixels = pixelsByLabel(contentLabels.resized(width: output.width, height: output.height))
        let paintingPixels = pixelsByLabel(styleLabels.resized(width: scaled.width, height: scaled.height))
        let total = Double(output.height * output.width)
        return (0..<contentLabels.count).compactMap { label in
            guard !outputPixels[label].isEmpty else { return nil }
            let figure =
                paintingPixels[label].isEmpty
                ? nil
                : measure.distance(
                    labPixels(of: output, at: outputPixels[label]), labPixels(of: scaled, at: paintingPixels[label]))
            return RegionColour(
                label: label, mapColour: contentLabels.palette?[label],
                area: Double(outputPixels[label].count) / total, colour: figure)
        }
    }

    /// The mean of the regions' figures weighted by area, over the regions that cover at least
    /// `minimumArea` of the output and have a figure; nil when there are none.
    public static func areaWeightedMean(
        of regions: [RegionColour], minimumArea: Double = minimumRegionArea
    ) -> Double? {
        let counted = regions.filter { $0.area >= minimumArea && $0.colour != nil }
        let area = counted.reduce(0) { $0 + $1.area }
        guard area > 0 else { return nil }
        return counted.reduce(0) { $0 + $1.area * $1.colour! } / area
    }

    /// The L\*a\*b\* colours of `image`'s pixels at the flat `indices` (row-major within the
    /// plane; every pixel when nil), at most `maximumSamples` of them, taken at even steps.
    static func labPixels(of image: Tensor, at indices: [Int]? = nil) -> [SIMD3<Double>] {
        let plane = image.height * image.width
        let sampled = evenSubsample(indices ?? Array(0..<plane), limit: maximumSamples)
        return image.withUnsafeBufferPointer { values in
            sampled.map { index in
                CIELAB.lab(
                    fromSRGB: SIMD3(
                        Double(values[index]), Double(values[plane + index]), Double(values[2 * plane + index])))
            }
        }
    }

    /// `items` itself when it has at most `limit` elements, else `limit` of them at even steps.
    static func evenSubsample<Element>(_ items: [Element], limit: Int) -> [Element] {
        guard items.count > limit else { return items }
        return (0..<limit).map { items[$0 * items.count / limit] }
    }

    /// The flat pixel indices of each label, in raster order.
    private static func pixelsByLabel(_ labels: LabelMap) -> [[Int]] {
        var pixels = [[Int]](repeating: [], count: labels.count)
        for (index, label) in labels.labels.enumerated() { pixels[Int(label)].append(index) }
        return pixels
    }
}

/// The colour figure of one region of the segmentation.
public struct RegionColour: Sendable, Equatable {
    /// The shared label.
    public var label: Int
    /// The label's colour in the content's colour-coded map (RGB 0…1), when it has one.
    public var mapColour: SIMD3<Float>?
    /// The fraction of the output's pixels that carry the label.
    public var area: Double
    /// The sliced Wasserstein distance of the region's pixels; nil when the painting has no
    /// pixels of the label, so nothing to compare with.
    public var colour: Double?
}
