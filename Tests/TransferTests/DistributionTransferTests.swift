import Semantics
import Tensor
import TestSupport
import XCTest

@testable import Transfer

final class DistributionTransferTests: XCTestCase {
    /// The mean absolute difference of 99 quantiles of two samples' projections on `axis`
    /// (a naive sort, independent of the transfer's own quantile maps).
    private func quantileGap(_ a: [SIMD3<Float>], _ b: [SIMD3<Float>], axis: SIMD3<Float>) -> Double {
        let pa = a.map { Double(($0 * axis).sum()) }.sorted(), pb = b.map { Double(($0 * axis).sum()) }.sorted()
        var gap = 0.0
        for q in 1...99 {
            gap += abs(pa[q * (pa.count - 1) / 100] - pb[q * (pb.count - 1) / 100])
        }
        return gap / 99
    }

    /// A bimodal target (dark blue and bright yellow) and a unimodal grey-green source: after the
    /// transfer the source's projections on fixed axes (not the bases used) match the target's.
    func testTheWholeDistributionIsMatchedNotOnlyItsMoments() {
        var random = SeededRandom(seed: 41)
        let target: [SIMD3<Float>] = (0..<3000).map { i in
            let base: SIMD3<Float> = i % 2 == 0 ? SIMD3(0.1, 0.15, 0.5) : SIMD3(0.9, 0.8, 0.2)
            return base + SIMD3((0..<3).map { _ in random.float(in: -0.05...0.05) })
        }
        var colours: [SIMD3<Float>] = (0..<5000).map { _ in
            SIMD3(0.4, 0.5, 0.4) + SIMD3((0..<3).map { _ in random.float(in: -0.1...0.1) })
        }
        let axes: [SIMD3<Float>] = [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1), SIMD3(0.577, 0.577, 0.577),
                                    SIMD3(0.707, -0.707, 0)]
        let before = axes.map { quantileGap(colours, target, axis: $0) }
        DistributionTransfer.transfer(&colours, to: target, seed: 7)
        for (axis, gap) in zip(axes, before) {
            let after = quantileGap(colours, target, axis: axis)
            XCTAssertLessThan(after, 0.03, "axis \(axis): \(gap) -> \(after)")
            XCTAssertLessThan(after, gap / 5, "axis \(axis)")
        }
        // Bimodal now: about half the colours are near each mode.
        let yellow = colours.filter { $0.x > 0.5 }.count
        XCTAssertEqual(Double(yellow) / Double(colours.count), 0.5, accuracy: 0.05)
    }

    /// Each 1-D map is monotone (a colour further along an axis stays further along it), and the
    /// same seed gives the same colours.
    func testEachAxisMapIsMonotoneAndTheSeedDecides() {
        let ramp: [SIMD3<Float>] = (0..<200).map { SIMD3(repeating: Float($0) / 199) }
        let target: [SIMD3<Float>] = (0..<300).map { i in SIMD3(Float(i % 30) / 60, Float(i % 7) / 10, 0.3) }
        var a = ramp, b = ramp
        DistributionTransfer.transfer(&a, to: target, seed: 3)
        DistributionTransfer.transfer(&b, to: target, seed: 3)
        XCTAssertEqual(a, b)
        var c = ramp
        DistributionTransfer.transfer(&c, to: target, seed: 4)
        XCTAssertNotEqual(a, c)
        let axis = SIMD3<Float>(0.6, 0.8, 0)
        let source = DistributionTransfer.knots(ramp.map { ($0 * axis).sum() }.sorted())
        let goal = DistributionTransfer.knots(target.map { ($0 * axis).sum() }.sorted())
        var previous = -Float.infinity
        for v in stride(from: Float(-0.2), through: 1.6, by: 0.01) {
            let mapped = DistributionTransfer.map(v, from: source, to: goal)
            XCTAssertGreaterThanOrEqual(mapped, previous, "at \(v)")
            previous = mapped
        }
    }

    /// Per cell: a two-region content takes each style region's colours, lit and shadowed apart.
    func testEachCellTakesItsStyleCellsColours() {
        var random = SeededRandom(seed: 42)
        let content = random.tensor(Shape(channels: 3, height: 10, width: 12), in: 0.3...0.7)
        let style = Tensor(Shape(channels: 3, height: 12, width: 12))
        let styleLight = Tensor(Shape(channels: 1, height: 12, width: 12))
        for y in 0..<12 {
            for x in 0..<12 {
                // Left region: lit rows yellow, shadowed rows blue; right region: red.
                let colour: SIMD3<Float> = x >= 6 ? SIMD3(0.8, 0.1, 0.1) : (y < 6 ? SIMD3(0.9, 0.9, 0.1) : SIMD3(0.1, 0.1, 0.6))
                for c in 0..<3 { style[c, y, x] = colour[c] + random.float(in: -0.02...0.02) }
                styleLight[0, y, x] = y < 6 ? 0.9 : 0.1
            }
        }
        let contentLabels = LabelMap(width: 12, height: 10, count: 2, labels: (0..<120).map { Int32($0 % 12 >= 6 ? 1 : 0) })
        let styleLabels = LabelMap(width: 12, height: 12, count: 2, labels: (0..<144).map { Int32($0 % 12 >= 6 ? 1 : 0) })
        let contentLight = Tensor(Shape(channels: 1, height: 10, width: 12))
        for y in 0..<10 { for x in 0..<12 { contentLight[0, y, x] = y < 5 ? 1 : 0 } }
        let result = PaletteTransfer.matchDistributions(
            content: content, style: style, labels: (contentLabels, styleLabels),
            light: (content: contentLight, style: styleLight), seed: 1)
        func pixel(_ y: Int, _ x: Int) -> SIMD3<Float> { SIMD3(result[0, y, x], result[1, y, x], result[2, y, x]) }
        for y in 0..<10 {
            for x in 0..<12 {
                let expected: SIMD3<Float> = x >= 6 ? SIMD3(0.8, 0.1, 0.1) : (y < 5 ? SIMD3(0.9, 0.9, 0.1) : SIMD3(0.1, 0.1, 0.6))
                let distance = ((pixel(y, x) - expected) * (pixel(y, x) - expected)).sum().squareRoot()
                XCTAssertLessThan(distance, 0.12, "pixel (\(x), \(y)): \(pixel(y, x))")
            }
        }
    }
}
