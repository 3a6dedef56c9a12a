import TestSupport
import XCTest

@testable import Tensor

final class ResampleTests: XCTestCase {
    private func resize(_ values: [Float], width: Int, to outWidth: Int, kind: Resample.Kind) -> [Float] {
        let input = Tensor(Shape(channels: 1, height: 1, width: width), values: values)
        let output = Tensor(channels: 1, height: 1, width: outWidth)
        Resample.forward(input, into: output, kind: kind)
        return output.array
    }

    private func assertEqual(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-6, "\(actual) vs \(expected)", file: file, line: line) }
    }

    func testBilinearHandComputedValues() {
        // Half-pixel centres: outputs sample the input at −0.25, 0.25, 0.75, 1.25 (clamped at the ends).
        assertEqual(resize([0, 1], width: 2, to: 4, kind: .bilinear), [0, 0.25, 0.75, 1])
        // Halving samples midway between pairs.
        assertEqual(resize([1, 3, 5, 9], width: 4, to: 2, kind: .bilinear), [2, 7])
    }

    func testAreaHandComputedValues() {
        assertEqual(resize([1, 2, 3, 4], width: 4, to: 2, kind: .area), [1.5, 3.5])
        // 3 → 2: output 0 covers [0, 1.5), output 1 covers [1.5, 3).
        assertEqual(resize([1, 2, 3], width: 3, to: 2, kind: .area), [4.0 / 3, 8.0 / 3])
        // Upsampling by area replicates.
        assertEqual(resize([2, 6], width: 2, to: 4, kind: .area), [2, 2, 6, 6])
    }

    func testBicubicHandComputedValues() {
        // Doubling puts output 3 at input position 1.25 and output 4 at 1.75; Keys (a = −0.5)
        // weights at t = 0.25 are (−0.0703125, 0.8671875, 0.2265625, −0.0234375).
        let input: [Float] = [0, 0, 1, 0, 0]
        let output = resize(input, width: 5, to: 10, kind: .bicubic)
        XCTAssertEqual(output[3], 0.2265625, accuracy: 1e-6)
        XCTAssertEqual(output[4], 0.8671875, accuracy: 1e-6)
        XCTAssertEqual(output[2], -0.0703125, accuracy: 1e-6)
        // A linear ramp is reproduced exactly away from the clamped border.
        let ramp = resize([0, 1, 2, 3, 4, 5, 6, 7], width: 8, to: 16, kind: .bicubic)
        for i in 4..<12 { XCTAssertEqual(ramp[i], (Float(i) + 0.5) / 2 - 0.5, accuracy: 1e-5) }
    }

    func testTwoDimensionalResizeIsSeparable() {
        // 2×2 → 4×4 bilinear of an outer product equals the outer product of the 1-D resizes.
        let input = Tensor(Shape(channels: 2, height: 2, width: 2), values: [0, 1, 2, 3, 1, 1, 1, 1])
        let output = Tensor(channels: 2, height: 4, width: 4)
        Resample.bilinear(input, into: output)
        let axis: [Float] = [0, 0.25, 0.75, 1]
        for y in 0..<4 {
            for x in 0..<4 {
                XCTAssertEqual(output[0, y, x], axis[x] + 2 * axis[y], accuracy: 1e-6)
                XCTAssertEqual(output[1, y, x], 1, accuracy: 1e-6)
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 41)
        for kind in Resample.Kind.allCases {
            for (from, to) in [((5, 7), (9, 4)), ((8, 8), (3, 5)), ((3, 4), (6, 8))] {
                let input = random.tensor(Shape(channels: 2, height: from.0, width: from.1))
                let output = Tensor(channels: 2, height: to.0, width: to.1)
                let upstream = random.tensor(output.shape), gradient = Tensor(input.shape)
                Resample.backward(outputGradient: upstream, into: gradient, kind: kind)
                let error = GradientCheck.relativeError(of: gradient, input: input) {
                    Resample.forward(input, into: output, kind: kind)
                    return GradientCheck.dot(upstream, output)
                }
                XCTAssertLessThan(error, 1e-3, "\(kind) \(from) → \(to)")
            }
        }
    }
}
