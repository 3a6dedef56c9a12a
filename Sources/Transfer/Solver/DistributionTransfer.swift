import Tensor

/// Colour distribution transfer by sliced optimal transport (Pitié, Kokaram & Dahyot 2005,
/// *N-dimensional probability density function transfer*; Bonneel et al. 2015's sliced
/// Wasserstein barycentres): a cloud of colours is moved, one random orthonormal basis at a time,
/// so that along each axis its distribution becomes the target's (a monotone 1-D map: the
/// quantile of a colour's projection in the cloud is sent to the same quantile of the target's).
/// A few bases make the whole 3-D distribution the target's: not only its mean and spread (what
/// `PaletteTransfer`'s moments match), but its shape — the dark blues and the bright yellows of a
/// Starry Night, not their grey average.
///
/// Each step moves a colour by a monotone map of its projection, a function of the colour alone:
/// pixels of one colour stay of one colour, and the image keeps its drawing.
///
/// The points may carry more than a colour: with a fourth coordinate, the light level, the joint
/// distribution of colour and light is matched, so lit pixels take the style's lit colours and
/// shadowed ones its shadowed colours, each from the whole distribution (not an average of two).
public enum DistributionTransfer {
    /// Random bases used: the sliced distance to the target stops falling after about ten.
    static let iterations = 12
    /// Quantiles per axis of the 1-D maps (piecewise linear between them).
    static let quantiles = 257
    /// At most this many colours of each cloud are sorted to find the quantiles.
    static let sampleLimit = 65_536

    /// Moves `colours` towards the distribution of `target` (both non-empty).
    /// - Parameter seed: chooses the bases: the same seed gives the same colours.
    public static func transfer<Point: SIMD>(_ colours: inout [Point], to target: [Point], seed: UInt64)
    where Point.Scalar == Float {
        guard !colours.isEmpty, !target.isEmpty else { return }
        var random = SplitMix64(seed: seed)
        for _ in 0..<iterations {
            for axis in randomBasis(Point.self, &random) {
                let from = sortedProjections(colours, on: axis)
                let to = sortedProjections(target, on: axis)
                let sourceKnots = knots(from), targetKnots = knots(to)
                for i in colours.indices {
                    let v = (colours[i] * axis).sum()
                    colours[i] += (map(v, from: sourceKnots, to: targetKnots) - v) * axis
                }
            }
        }
    }

    /// As many orthonormal directions as `Point` has coordinates, from Gaussian draws
    /// (Gram–Schmidt).
    static func randomBasis<Point: SIMD>(_: Point.Type, _ random: inout SplitMix64) -> [Point]
    where Point.Scalar == Float {
        func gaussian() -> Point {
            var d = Point()
            for i in 0..<Point.scalarCount { d[i] = Float(random.nextNormal()) }
            return d
        }
        var basis: [Point] = []
        while basis.count < Point.scalarCount {
            var d = gaussian()
            for b in basis { d -= (d * b).sum() * b }
            let norm = (d * d).sum().squareRoot()
            if norm > 1e-3 { basis.append(d / norm) }
        }
        return basis
    }

    /// The projections of (at most `sampleLimit` evenly spaced) colours on `axis`, sorted.
    static func sortedProjections<Point: SIMD>(_ colours: [Point], on axis: Point) -> [Float]
    where Point.Scalar == Float {
        let step = max(1, colours.count / sampleLimit)
        return stride(from: 0, to: colours.count, by: step).map { (colours[$0] * axis).sum() }.sorted()
    }

    /// `quantiles` evenly spaced quantiles of sorted values (linear interpolation).
    static func knots(_ sorted: [Float]) -> [Float] {
        (0..<quantiles).map { q in
            let position = Float(q) / Float(quantiles - 1) * Float(sorted.count - 1)
            let low = Int(position), high = min(low + 1, sorted.count - 1)
            return sorted[low] + (position - Float(low)) * (sorted[high] - sorted[low])
        }
    }

    /// The monotone 1-D map: `v`'s quantile among `source`'s knots, read off `target`'s.
    static func map(_ v: Float, from source: [Float], to target: [Float]) -> Float {
        if v <= source[0] { return target[0] + (v - source[0]) }
        if v >= source[source.count - 1] { return target[target.count - 1] + (v - source[source.count - 1]) }
        var low = 0, high = source.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if source[middle] <= v { low = middle } else { high = middle }
        }
        let span = source[high] - source[low]
        let t = span > 0 ? (v - source[low]) / span : 0.5
        return target[low] + t * (target[high] - target[low])
    }
}
