import Tensor
import XCTest

@testable import Evaluation

final class SlicedWassersteinTests: XCTestCase {
    private func randomLabPoints(_ count: Int, seed: UInt64) -> [SIMD3<Double>] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            SIMD3(
                Double.random(in: 0...100, using: &random), Double.random(in: -80...80, using: &random),
                Double.random(in: -100...90, using: &random))
        }
    }

    func testDirectionsAreSixtyFourFixedUnitVectorsSpreadOverTheSphere() {
        let measure = SlicedWasserstein()
        XCTAssertEqual(measure.directions.count, 64)
        XCTAssertEqual(measure.directions, SlicedWasserstein().directions, "the seed is fixed")
        for direction in measure.directions {
            XCTAssertEqual((direction * direction).sum(), 1, accuracy: 1e-12)
        }
        XCTAssertEqual(Set(measure.directions.map { "\($0)" }).count, 64)
        // Random directions cover every octant's sign pattern on each axis.
        for axis in 0..<3 {
            XCTAssertTrue(measure.directions.contains { $0[axis] > 0.3 })
            XCTAssertTrue(measure.directions.contains { $0[axis] < -0.3 })
        }
        XCTAssertEqual(measure.levels.count, 200)
        XCTAssertEqual(measure.levels.first!, 0.005, accuracy: 1e-15)
        XCTAssertEqual(measure.levels.last!, 0.995, accuracy: 1e-15)
    }

    func testIdenticalSetsAreAtDistanceZero() {
        let points = randomLabPoints(1000, seed: 1)
        XCTAssertEqual(SlicedWasserstein().distance(points, points), 0)
    }

    /// Shifting every point by δ shifts every projection on u by u·δ, so every quantile moves by
    /// it: the distance is the mean over directions of |u·δ|, whatever the set.
    func testAConstantShiftGivesTheMeanProjectedShift() {
        let measure = SlicedWasserstein()
        let points = randomLabPoints(777, seed: 2)
        for shift in [SIMD3<Double>(5, 0, 0), SIMD3(-3, 12, 7.5), SIMD3(0, 0, -20)] {
            let expected = measure.directions.reduce(0.0) { $0 + abs(($1 * shift).sum()) } / 64
            XCTAssertEqual(measure.distance(points, points.map { $0 + shift }), expected, accuracy: 1e-9)
            XCTAssertEqual(measure.distance(points.map { $0 + shift }, points), expected, accuracy: 1e-9)
        }
    }

    func testTheOrderOfThePointsDoesNotMatter() {
        let measure = SlicedWasserstein()
        let a = randomLabPoints(500, seed: 3), b = randomLabPoints(800, seed: 4)
        var random = SplitMix64(seed: 5)
        let distance = measure.distance(a, b)
        XCTAssertGreaterThan(distance, 1)
        XCTAssertEqual(measure.distance(a.shuffled(using: &random), b.shuffled(using: &random)), distance)
    }

    /// Sets of different sizes are compared by their quantiles, so a set and the same set repeated
    /// twice are the same distribution, at distance 0 up to interpolation between repeated values.
    func testSetsOfDifferentSizesCompareAsDistributions() {
        let measure = SlicedWasserstein()
        let a = randomLabPoints(400, seed: 6)
        XCTAssertLessThan(measure.distance(a, a + a), 0.5)
        XCTAssertGreaterThan(measure.distance(a, randomLabPoints(400, seed: 7).map { $0 * 0.5 }), 10)
    }

    /// Against a naive Float64 quantile: the piecewise-linear curve through the points
    /// (k / (n − 1), x₍ₖ₎), found by scanning for the segment that holds the level.
    func testQuantilesInterpolateLinearlyBetweenOrderStatistics() {
        let small = SlicedWasserstein.quantiles(ofSorted: [1, 2, 3, 4], at: [0, 0.5, 1, 0.005])
        for (quantile, expected) in zip(small, [1, 2.5, 4, 1.015]) {
            XCTAssertEqual(quantile, expected, accuracy: 1e-12)
        }
        XCTAssertEqual(SlicedWasserstein.quantiles(ofSorted: [7], at: [0.005, 0.5, 0.995]), [7, 7, 7])
        var random = SplitMix64(seed: 8)
        for count in [2, 3, 10, 199, 200, 201, 1000] {
            let sorted = (0..<count).map { _ in Double.random(in: -50...50, using: &random) }.sorted()
            let levels = SlicedWasserstein.evenLevels()
            let quantiles = SlicedWasserstein.quantiles(ofSorted: sorted, at: levels)
            for (level, quantile) in zip(levels, quantiles) {
                XCTAssertEqual(quantile, naiveQuantile(sorted, level), accuracy: 1e-9, "n \(count) level \(level)")
            }
        }
    }

    private func naiveQuantile(_ sorted: [Double], _ level: Double) -> Double {
        let n = Double(sorted.count - 1)
        for k in 0..<(sorted.count - 1) {
            let (p0, p1) = (Double(k) / n, Double(k + 1) / n)
            if level >= p0 && level <= p1 { return sorted[k] + (level - p0) / (p1 - p0) * (sorted[k + 1] - sorted[k]) }
        }
        return sorted.last!
    }
}
