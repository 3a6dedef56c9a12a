import Tensor

/// Keeps the drawing through the colour finish: the finish's colour change T(x) − x is smoothed
/// over space, within each region, along the content's edges, before it is added to the image.
///
/// A per-pixel colour transport moves every colour of a region as the painting's distribution
/// asks, and in doing so it flattens or exaggerates local contrast where the map is steep or flat:
/// the output's edges no longer follow the content's (on a cat painted as Starry Night the edge
/// correlation fell from 0.85 to 0.53). Adding only a smooth part of the change keeps the image's
/// own detail — its gradients — and still gives each region the painting's colours, the
/// "re-graining" idea of Pitié, Kokaram & Dahyot 2007 (*Automated colour grading using colour
/// distribution transfer*).
///
/// The smooth part is a guided filter of the change (He, Sun & Tang 2013, *Guided Image
/// Filtering*) whose guide is the content's brightness: in each window the change is fitted as
/// a·g + b of the guide g, and the fits are averaged. Where the content has an edge the change
/// may step with it, so a dark cat against a light wall keeps its contour, which a Gaussian of
/// the change blurred across (cat as Starry Night at 512 px: structure 0.744 with a Gaussian of
/// 1/32 of the long side, 0.755 with this filter, and the colour distance 2.97 → 2.82; a coffee
/// cup as Turner: 0.813 → 0.792 and 2.41 → 2.25). The coefficients a and b are smooth, so they
/// can be found on a reduced image and enlarged (He & Sun 2015, *Fast Guided Filter*), which is
/// how a streamed output is finished (`ColourFinishField`).
///
/// Every window mean is a box filter normalised by the region's share of the window: one
/// region's change never bleeds into its neighbour, whose colours come from another region of
/// the painting, and the image's border needs no padding rule.
public enum DisplacementSmoothing {
    /// The window radius as a fraction of the image's long side: 24 px at 512 px (measured at
    /// 16, 24 and 32 px: the structure rises and the colour distance with it).
    public static let radiusFraction: Float = 3.0 / 64
    /// The guided filter's regulariser, in squared brightness units (0…1): a window whose
    /// brightness varies less than about 0.1 gets a near-constant change.
    public static let epsilon: Float = 1e-2

    /// The window radius (pixels) used for an image of this size.
    public static func radius(height: Int, width: Int) -> Int {
        max(1, Int((Float(max(height, width)) * radiusFraction).rounded()))
    }

    /// The guide of an RGB image (3×H×W): its brightness, the mean of its channels, H·W values.
    public static func guide(_ image: Tensor) -> [Float] {
        precondition(image.channels == 3, "the guide is made from an RGB image")
        let plane = image.height * image.width
        return image.withUnsafeBufferPointer { source in
            (0..<plane).map { (source[$0] + source[plane + $0] + source[2 * plane + $0]) / 3 }
        }
    }

    /// The change of each pixel as the guide's linear function there: change = a·g + b, per
    /// channel (3·H·W values each, channel-major), a and b already averaged over the windows.
    public struct Coefficients: Sendable {
        public var a: [Float]
        public var b: [Float]

        /// The change at flat pixel index `p`, channel `c`, of an image whose planes hold
        /// `plane` pixels, for the guide value `guide` there.
        @inline(__always)
        func change(channel c: Int, at p: Int, plane: Int, guide: Float) -> Float {
            a[c * plane + p] * guide + b[c * plane + p]
        }
    }

    /// `image` + the guided change `finished − image`, per label (3×H×W each; `guide` H·W values
    /// from `guide(_:)` of the content at the image's size; `labels` H·W values in 0..<count, or
    /// nil for one region). Clamped to 0…1.
    public static func apply(
        image: Tensor, finished: Tensor, guide: [Float], labels: [Int32]?, count: Int, radius: Int
    ) -> Tensor {
        let fit = coefficients(
            image: image, finished: finished, guide: guide, labels: labels, count: count, radius: radius)
        let plane = image.height * image.width
        let result = Tensor(image.shape)
        result.withUnsafeMutableBufferPointer { out in
            image.withUnsafeBufferPointer { source in
                for c in 0..<3 {
                    for p in 0..<plane {
                        let i = c * plane + p
                        let change = fit.change(channel: c, at: p, plane: plane, guide: guide[p])
                        out[i] = min(max(source[i] + change, 0), 1)
                    }
                }
            }
        }
        return result
    }

    /// The guided filter's coefficients of the change `finished − image` (3×H×W each), fitted
    /// within each label.
    public static func coefficients(
        image: Tensor, finished: Tensor, guide: [Float], labels: [Int32]?, count: Int, radius: Int
    ) -> Coefficients {
        precondition(image.shape == finished.shape && image.channels == 3, "the finish keeps the RGB image's shape")
        let height = image.height, width = image.width, plane = height * width
        precondition(guide.count == plane, "one guide value per pixel")
        let labels = labels ?? [Int32](repeating: 0, count: plane)
        precondition(labels.count == plane, "one label per pixel")
        var change = [Float](repeating: 0, count: 3 * plane)
        image.withUnsafeBufferPointer { source in
            finished.withUnsafeBufferPointer { target in
                for i in 0..<change.count { change[i] = target[i] - source[i] }
            }
        }
        var fit = Coefficients(a: [Float](repeating: 0, count: 3 * plane), b: [Float](repeating: 0, count: 3 * plane))
        var present = [Bool](repeating: false, count: count)
        for label in labels { present[Int(label)] = true }
        for label in 0..<count where present[label] {
            let window = RegionWindow(labels: labels, label: Int32(label), height: height, width: width, radius: radius)
            let meanGuide = window.mean { guide[$0] }
            let meanSquare = window.mean { guide[$0] * guide[$0] }
            for c in 0..<3 {
                let base = c * plane
                let meanChange = window.mean { change[base + $0] }
                let covariance = window.mean { guide[$0] * change[base + $0] }
                var a = [Float](repeating: 0, count: plane), b = [Float](repeating: 0, count: plane)
                for p in window.pixels {
                    let variance = meanSquare[p] - meanGuide[p] * meanGuide[p]
                    a[p] = (covariance[p] - meanGuide[p] * meanChange[p]) / (variance + epsilon)
                    b[p] = meanChange[p] - a[p] * meanGuide[p]
                }
                let meanA = window.mean { a[$0] }, meanB = window.mean { b[$0] }
                for p in window.pixels {
                    fit.a[base + p] = meanA[p]
                    fit.b[base + p] = meanB[p]
                }
            }
        }
        return fit
    }

    /// Window means over the pixels of one label: the box sum of a value over the label's
    /// pixels in the (2·radius + 1)² window, divided by the count of the label's pixels there.
    struct RegionWindow {
        let height: Int, width: Int, radius: Int
        /// The label's pixels (flat indices).
        let pixels: [Int]
        /// 1 on the label's pixels, 0 elsewhere.
        private let mask: [Float]
        /// The label's share of each pixel's window (> 0 on the label's own pixels).
        private let share: [Float]

        init(labels: [Int32], label: Int32, height: Int, width: Int, radius: Int) {
            self.height = height
            self.width = width
            self.radius = radius
            pixels = labels.indices.filter { labels[$0] == label }
            mask = labels.map { $0 == label ? 1 : 0 }
            var share = mask
            Self.box(&share, height: height, width: width, radius: radius)
            self.share = share
        }

        /// The window mean of `value` (a function of the flat pixel index, read on the label's
        /// pixels only), defined on the label's pixels (0 elsewhere).
        func mean(_ value: (Int) -> Float) -> [Float] {
            var values = [Float](repeating: 0, count: mask.count)
            for p in pixels { values[p] = value(p) }
            Self.box(&values, height: height, width: width, radius: radius)
            var result = [Float](repeating: 0, count: mask.count)
            // A label's own pixels always weigh in their window, so the share is > 0.
            for p in pixels { result[p] = values[p] / max(share[p], 1e-6) }
            return result
        }

        /// One box pass along rows then along columns (zeros outside the image: the division by
        /// the share accounts for the border).
        static func box(_ values: inout [Float], height: Int, width: Int, radius: Int) {
            var scratch = [Float](repeating: 0, count: values.count)
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
