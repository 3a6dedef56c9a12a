import TestSupport
import XCTest

@testable import Tensor

final class Conv3x3Tests: XCTestCase {
    /// The definition, in Float64: y[o][y][x] = b[o] + Σ w[o][i][ky][kx] · x[i][y+ky−1][x+kx−1].
    /// Returns the value and the sum of absolute products (the scale for the tolerance).
    static func naive(
        _ input: Tensor, weight: [Float], bias: [Float], outputChannels: Int
    ) -> (values: [Double], magnitudes: [Double]) {
        let (cin, h, w) = (input.channels, input.height, input.width)
        var values = [Double](repeating: 0, count: outputChannels * h * w)
        var magnitudes = values
        for o in 0..<outputChannels {
            for y in 0..<h {
                for x in 0..<w {
                    var sum = Double(bias[o]), magnitude = abs(Double(bias[o]))
                    for i in 0..<cin {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let sy = y + ky - 1, sx = x + kx - 1
                                guard sy >= 0, sy < h, sx >= 0, sx < w else { continue }
                                let product = Double(weight[((o * cin + i) * 3 + ky) * 3 + kx]) * Double(input[i, sy, sx])
                                sum += product
                                magnitude += abs(product)
                            }
                        }
                    }
                    values[(o * h + y) * w + x] = sum
                    magnitudes[(o * h + y) * w + x] = magnitude
                }
            }
        }
        return (values, magnitudes)
    }

    private func assertForwardMatchesNaive(cin: Int, cout: Int, height: Int, width: Int, seed: UInt64,
                                           file: StaticString = #filePath, line: UInt = #line) {
        var random = SeededRandom(seed: seed)
        let input = random.tensor(Shape(channels: cin, height: height, width: width))
        let weight = random.floats(cout * cin * 9), bias = random.floats(cout)
        let conv = Conv3x3(outputChannels: cout, inputChannels: cin, weight: weight, bias: bias)
        let output = Tensor(channels: cout, height: height, width: width)
        conv.forward(input, into: output, workspace: Workspace())
        let reference = Self.naive(input, weight: weight, bias: bias, outputChannels: cout)
        for i in 0..<output.count {
            let error = abs(Double(output[flat: i]) - reference.values[i])
            if error > 1e-5 * (reference.magnitudes[i] + 1e-3) {
                XCTFail("\(cin)→\(cout) at \(height)×\(width): element \(i) is \(output[flat: i]), expected \(reference.values[i])",
                        file: file, line: line)
                return
            }
        }
    }

    /// Runs `body` once under each way of lowering the convolution to SGEMM.
    private func forEachLowering(_ body: (Conv3x3.Lowering) -> Void) {
        let saved = Conv3x3.lowering
        defer { Conv3x3.lowering = saved }
        for lowering in Conv3x3.Lowering.allCases {
            Conv3x3.lowering = lowering
            body(lowering)
        }
    }

    func testForwardMatchesNaiveFloat64LoopAtOddSizes() {
        let sizes = [(1, 1), (3, 5), (17, 9)]
        let channels = [(1, 1), (3, 64), (64, 3), (64, 64), (1, 3)]
        forEachLowering { _ in
            var seed: UInt64 = 1
            for (height, width) in sizes {
                for (cin, cout) in channels {
                    assertForwardMatchesNaive(cin: cin, cout: cout, height: height, width: width, seed: seed)
                    seed += 1
                }
            }
        }
    }

    func testForwardIsTheSameWhenTheImageIsSplitIntoManyBands() {
        let saved = Conv3x3.bandBudget
        defer { Conv3x3.bandBudget = saved }
        forEachLowering { _ in
            Conv3x3.bandBudget = 27 * 9 * 2  // two rows of 9 pixels per band at 3 input channels
            assertForwardMatchesNaive(cin: 3, cout: 5, height: 17, width: 9, seed: 99)
            Conv3x3.bandBudget = 1  // degenerate budget: one row per band
            assertForwardMatchesNaive(cin: 3, cout: 5, height: 7, width: 4, seed: 100)
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        forEachLowering { lowering in
        for (cin, cout, height, width) in [(3, 4, 5, 6), (2, 3, 1, 4), (5, 2, 4, 1)] {
            var random = SeededRandom(seed: UInt64(cin * 100 + cout))
            let input = random.tensor(Shape(channels: cin, height: height, width: width))
            let conv = Conv3x3(outputChannels: cout, inputChannels: cin,
                               weight: random.floats(cout * cin * 9), bias: random.floats(cout))
            let upstream = random.tensor(Shape(channels: cout, height: height, width: width))
            let output = Tensor(upstream.shape), gradient = Tensor(input.shape), workspace = Workspace()
            conv.backward(outputGradient: upstream, into: gradient, workspace: workspace)
            let error = GradientCheck.relativeError(of: gradient, input: input) {
                conv.forward(input, into: output, workspace: workspace)
                return GradientCheck.dot(upstream, output)
            }
            XCTAssertLessThan(error, 1e-3, "\(lowering): \(cin)→\(cout) at \(height)×\(width)")
        }
        }
    }

    func testBackwardIsTheExactAdjointAtVGGWidths() {
        // ⟨conv(x), g⟩ − ⟨b, Σg⟩ = ⟨x, convᵀ(g)⟩ for a linear map; checked in Float64 at 64 channels.
        var random = SeededRandom(seed: 5)
        let (cin, cout, h, w) = (64, 64, 9, 11)
        let input = random.tensor(Shape(channels: cin, height: h, width: w))
        let bias = [Float](repeating: 0, count: cout)
        let conv = Conv3x3(outputChannels: cout, inputChannels: cin, weight: random.floats(cout * cin * 9), bias: bias)
        let upstream = random.tensor(Shape(channels: cout, height: h, width: w))
        let output = Tensor(upstream.shape), gradient = Tensor(input.shape)
        forEachLowering { lowering in
            conv.forward(input, into: output, workspace: Workspace())
            conv.backward(outputGradient: upstream, into: gradient, workspace: Workspace())
            let lhs = GradientCheck.dot(upstream, output), rhs = GradientCheck.dot(input, gradient)
            XCTAssertEqual(lhs, rhs, accuracy: 1e-4 * abs(lhs) + 1e-3, "\(lowering)")
        }
    }

    func testConv1x1ForwardAndBackward() {
        var random = SeededRandom(seed: 11)
        let (cin, cout, h, w) = (5, 3, 4, 7)
        let weight = random.floats(cout * cin), bias = random.floats(cout)
        let conv = Conv1x1(outputChannels: cout, inputChannels: cin, weight: weight, bias: bias)
        let input = random.tensor(Shape(channels: cin, height: h, width: w))
        let output = Tensor(channels: cout, height: h, width: w)
        conv.forward(input, into: output)
        for o in 0..<cout {
            for y in 0..<h {
                for x in 0..<w {
                    var sum = Double(bias[o])
                    for i in 0..<cin { sum += Double(weight[o * cin + i]) * Double(input[i, y, x]) }
                    XCTAssertEqual(Double(output[o, y, x]), sum, accuracy: 1e-5)
                }
            }
        }
        let upstream = random.tensor(output.shape), gradient = Tensor(input.shape)
        conv.backward(outputGradient: upstream, into: gradient)
        let error = GradientCheck.relativeError(of: gradient, input: input) {
            conv.forward(input, into: output)
            return GradientCheck.dot(upstream, output)
        }
        XCTAssertLessThan(error, 1e-3)
    }
}
