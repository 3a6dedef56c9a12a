import TestSupport
import XCTest

@testable import Tensor

final class Pool2x2Tests: XCTestCase {
    func testForwardMatchesNaiveLoopAtOddSizes() {
        var random = SeededRandom(seed: 21)
        for (h, w) in [(2, 2), (3, 5), (17, 9), (1, 1)] {
            for channels in [1, 3, 64] {
                let input = random.tensor(Shape(channels: channels, height: h, width: w))
                for kind in Pool2x2.Kind.allCases {
                    let output = Tensor(Pool2x2.outputShape(for: input.shape))
                    Pool2x2.forward(input, into: output, kind: kind)
                    for c in 0..<channels {
                        for y in 0..<h / 2 {
                            for x in 0..<w / 2 {
                                let window = [input[c, 2 * y, 2 * x], input[c, 2 * y, 2 * x + 1],
                                              input[c, 2 * y + 1, 2 * x], input[c, 2 * y + 1, 2 * x + 1]].map(Double.init)
                                let expected = kind == .max ? window.max()! : window.reduce(0, +) / 4
                                XCTAssertEqual(Double(output[c, y, x]), expected, accuracy: 1e-6, "\(kind) \(h)×\(w)")
                            }
                        }
                    }
                }
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 22)
        for kind in Pool2x2.Kind.allCases {
            for (h, w) in [(4, 6), (5, 7)] {
                let input = random.tensor(Shape(channels: 3, height: h, width: w))
                let output = Tensor(Pool2x2.outputShape(for: input.shape))
                let upstream = random.tensor(output.shape), gradient = Tensor(input.shape)
                Pool2x2.backward(input: input, outputGradient: upstream, into: gradient, kind: kind)
                // A step far below the gaps between random values keeps each window's maximum in place.
                let error = GradientCheck.relativeError(of: gradient, input: input, step: 1e-4) {
                    Pool2x2.forward(input, into: output, kind: kind)
                    return GradientCheck.dot(upstream, output)
                }
                XCTAssertLessThan(error, 1e-2, "\(kind) at \(h)×\(w)")
            }
        }
    }
}
