import Tensor

/// Keeps the drawing through the colour finish: the finish's colour change T(x) − x is smoothed
/// over space, within each region, before it is added to the image.
///
/// A per-pixel colour transport moves every colour of a region as the painting's distribution
/// asks, and in doing so it flattens or exaggerates local contrast where the map is steep or flat:
/// the output's edges no longer follow the content's (on a cat painted as Starry Night the edge
/// correlation fell from 0.87 to 0.67). Adding only the low-frequency part of the change keeps the
/// image's own detail — its gradients — and still gives each region the painting's colours, the
/// "re-graining" idea of Pitié, Kokaram & Dahyot 2007 (*Automated colour grading using colour
/// distribution transfer*) and the regularised transport of Rabin, Delon & Gousseau 2010.
///
/// The smoothing is a normalised convolution inside each label (the change of one region never
/// bleeds into its neighbour, whose colours come from another region of the painting), with an
/// almost-Gaussian kernel made of three box passes, so it costs the same whatever its width.
public enum DisplacementSmoothing {
    /// The Gaussian width of the smoothing as a fraction of the image's long side: at 1/32 the
    /// cat above keeps an edge correlation of 0.78 for a colour distance of 3.8 (1/64: 0.75 and
    /// 3.4; none: 0.67 and 3.0).
    public static let widthFraction: Float = 1.0 / 32

    /// The Gaussian width (pixels) used for an image of this size.
    public static func sigma(height: Int, width: Int) -> Float {
        max(1, Float(max(height, width)) * widthFraction)
    }

    /// `image` + the smoothed change `finished − image`, per label (3×H×W each; `labels` are
    /// H·W values in 0..<count, or nil for one region). Clamped to 0…1.
    public static func apply(image: Tensor, finished: Tensor, labels: [Int32]?, count: Int, sigma: Float) -> Tensor {
        let smoothed = smoothedChange(image: image, finished: finished, labels: labels, count: count, sigma: sigma)
        let result = Tensor(image.shape)
        result.withUnsafeMutableBufferPointer { out in
            image.withUnsafeBufferPointer { source in
                for i in 0..<out.count { out[i] = min(max(source[i] + smoothed[i], 0), 1) }
            }
        }
        return result
    }

    /// The change `finished − image` (3×H×W each) smoothed within each label: 3·H·W values, in
    /// the image's channel-major order.
    public static func smoothedChange(
        image: Tensor, finished: Tensor, labels: [Int32]?, count: Int, sigma: Float
    ) -> [Float] {
        precondition(image.shape == finished.shape, "the finish must keep the image's shape")
        let height = image.height, width = image.width, plane = height * width
        let labels = labels ?? [Int32](repeating: 0, count: plane)
        precondition(labels.count == plane, "one label per pixel")
        let radius = boxRadius(sigma: sigma)
        var change = [Float](repeating: 0, count: 3 * plane)
        image.withUnsafeBufferPointer { source in
            finished.withUnsafeBufferPointer { target in
                for i in 0..<change.count { change[i] = target[i] - source[i] }
            }
        }
        var smoothed = [Float](repeating: 0, count: 3 * plane)
        var present = [Bool](repeating: false, count: count)
        for label in labels { present[Int(label)] = true }
        var mask = [Float](repeating: 0, count: plane), masked = [Float](repeating: 0, count: plane)
        var scratch = [Float](repeating: 0, count: plane)
        for label in 0..<count where present[label] {
            let k = Int32(label)
            for p in 0..<plane { mask[p] = labels[p] == k ? 1 : 0 }
            blur(&mask, height: height, width: width, radius: radius, scratch: &scratch)
            for c in 0..<3 {
                for p in 0..<plane { masked[p] = labels[p] == k ? change[c * plane + p] : 0 }
                blur(&masked, height: height, width: width, radius: radius, scratch: &scratch)
                for p in 0..<plane where labels[p] == k {
                    // A region's own pixels always weigh in its window, so the mass is > 0.
                    smoothed[c * plane + p] = masked[p] / max(mask[p], 1e-6)
                }
            }
        }
        return smoothed
    }

    /// The box radius whose three passes have the variance of a Gaussian of width `sigma`:
    /// a box of width w has variance (w² − 1)/12, three of them (w² − 1)/4.
    static func boxRadius(sigma: Float) -> Int {
        max(1, Int((((4 * sigma * sigma + 1).squareRoot()) - 1) / 2 + 0.5))
    }

    /// Three box passes along rows then columns, zeros outside the image (the normalisation by
    /// the blurred mask accounts for the border).
    static func blur(_ values: inout [Float], height: Int, width: Int, radius: Int, scratch: inout [Float]) {
        for _ in 0..<3 {
            boxPass(values, into: &scratch, lines: height, length: width, stride: 1, lineStride: width, radius: radius)
            boxPass(scratch, into: &values, lines: width, length: height, stride: width, lineStride: 1, radius: radius)
        }
    }

    /// One running-sum box filter of width 2·radius + 1 along each line.
    static func boxPass(
        _ source: [Float], into target: inout [Float], lines: Int, length: Int, stride: Int, lineStride: Int, radius: Int
    ) {
        let scale = 1 / Double(2 * radius + 1)
        for line in 0..<lines {
            let base = line * lineStride
            var sum = 0.0
            for i in 0..<min(radius, length) { sum += Double(source[base + i * stride]) }
            for i in 0..<length {
                let entering = i + radius, leaving = i - radius - 1
                if entering < length { sum += Double(source[base + entering * stride]) }
                if leaving >= 0 { sum -= Double(source[base + leaving * stride]) }
                target[base + i * stride] = Float(sum * scale)
            }
        }
    }
}
