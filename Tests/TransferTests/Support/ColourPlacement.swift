import Tensor

/// Measures where the style's colours went: each pixel of an output is given to the region
/// whose mean colour it is nearest to.
enum ColourPlacement {
    /// RGB, or chromaticity (r, g, b)/(r + g + b), which ignores how bright a pixel is: a measure
    /// of which paint went where that the content's own lighting cannot pass.
    enum Space { case rgb, chromaticity }

    static func colour(_ image: Tensor, x: Int, y: Int, in space: Space) -> SIMD3<Float> {
        let rgb = SIMD3(image[0, y, x], image[1, y, x], image[2, y, x])
        guard space == .chromaticity else { return rgb }
        return rgb / max(rgb.sum(), 1e-3)
    }

    /// The mean colour of each region of `image`; `region(x, y)` is a pixel's region or nil.
    static func means(of image: Tensor, regions count: Int, in space: Space, region: (Int, Int) -> Int?)
        -> [SIMD3<Float>]
    {
        var sums = [SIMD3<Float>](repeating: .zero, count: count), counts = [Float](repeating: 0, count: count)
        for y in 0..<image.height {
            for x in 0..<image.width {
                guard let r = region(x, y) else { continue }
                sums[r] += colour(image, x: x, y: y, in: space)
                counts[r] += 1
            }
        }
        return zip(sums, counts).map { $0 / max($1, 1) }
    }

    static func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { ((a - b) * (a - b)).sum().squareRoot() }

    /// The fraction of the pixels with an expected region (`expected(x, y)` non-nil) whose
    /// colour is nearest to that region's mean among `means`.
    static func fraction(
        of image: Tensor, nearest means: [SIMD3<Float>], in space: Space, expected: (Int, Int) -> Int?
    ) -> Double {
        var hits = 0, total = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                guard let want = expected(x, y) else { continue }
                let c = colour(image, x: x, y: y, in: space)
                let nearest = means.indices.min { distance(c, means[$0]) < distance(c, means[$1]) }!
                hits += nearest == want ? 1 : 0
                total += 1
            }
        }
        return Double(hits) / Double(max(total, 1))
    }
}
