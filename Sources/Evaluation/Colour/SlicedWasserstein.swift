import Foundation
import Tensor

/// The sliced Wasserstein distance between two sets of colours (Rabin et al. 2011): both sets
/// are projected onto fixed random unit directions, and on each direction the two 1-D
/// distributions are compared by their quantiles. It sees the whole palette (how much of each
/// colour), not just its mean, and it costs a sort per direction.
///
/// The figure is the mean, over the directions and over evenly spaced quantile levels, of the
/// absolute difference between the two sets' quantiles: in the units of the points (ΔE for
/// CIELAB), 0 for identical distributions. The directions come from a fixed seed, so the same
/// two sets always give the same figure.
public struct SlicedWasserstein: Sendable {
    /// The unit directions the sets are projected onto.
    public let directions: [SIMD3<Double>]
    /// The quantile levels compared on each direction, in (0, 1).
    public let levels: [Double]

    /// The quantile levels 0.5%, …, 99.5%: `count` evenly spaced, which leaves out the extreme
    /// tails, where one stray pixel would move the figure.
    public static func evenLevels(count: Int = 200) -> [Double] {
        precondition(count >= 2, "at least two quantile levels")
        return (0..<count).map { 0.005 + 0.99 * Double($0) / Double(count - 1) }
    }

    /// - Parameters:
    ///   - directionCount: how many random unit directions (64 by default).
    ///   - levels: the quantile levels (0.5% … 99.5%, 200 of them, by default).
    ///   - seed: the `SplitMix64` seed of the directions; fixed, so figures are comparable.
    public init(
        directionCount: Int = 64, levels: [Double] = SlicedWasserstein.evenLevels(), seed: UInt64 = 0x5357_4421
    ) {
        precondition(directionCount >= 1, "at least one direction")
        precondition(levels.allSatisfy { $0 >= 0 && $0 <= 1 }, "quantile levels lie in 0…1")
        var random = SplitMix64(seed: seed)
        directions = (0..<directionCount).map { _ in SlicedWasserstein.unitDirection(using: &random) }
        self.levels = levels
    }

    /// The distance between the point sets `a` and `b` (neither empty; their sizes may differ).
    public func distance(_ a: [SIMD3<Double>], _ b: [SIMD3<Double>]) -> Double {
        precondition(!a.isEmpty && !b.isEmpty, "the sliced Wasserstein distance needs two non-empty sets")
        var total = 0.0
        for direction in directions {
            let quantilesA = Self.quantiles(ofSorted: a.map { ($0 * direction).sum() }.sorted(), at: levels)
            let quantilesB = Self.quantiles(ofSorted: b.map { ($0 * direction).sum() }.sorted(), at: levels)
            for (qa, qb) in zip(quantilesA, quantilesB) { total += abs(qa - qb) }
        }
        return total / Double(directions.count * levels.count)
    }

    /// The quantiles of `sorted` (ascending, not empty) at `levels`, by linear interpolation
    /// between the two nearest order statistics: level p sits at position p·(n − 1), as numpy's
    /// default `quantile(method="linear")`.
    public static func quantiles(ofSorted sorted: [Double], at levels: [Double]) -> [Double] {
        precondition(!sorted.isEmpty, "quantiles of an empty set")
        let last = sorted.count - 1
        return levels.map { level in
            let position = level * Double(last)
            let below = min(Int(position.rounded(.down)), last)
            let above = min(below + 1, last)
            let fraction = position - Double(below)
            return sorted[below] + fraction * (sorted[above] - sorted[below])
        }
    }

    /// A direction uniform on the unit sphere: three standard normal components (Box–Muller on
    /// the generator's raw bits, so the directions do not depend on the standard library's
    /// sampling), normalised.
    private static func unitDirection(using random: inout SplitMix64) -> SIMD3<Double> {
        while true {
            let v = SIMD3(random.nextNormal(), random.nextNormal(), random.nextNormal())
            let length = (v * v).sum().squareRoot()
            if length > 1e-9 { return v / length }
        }
    }
}
