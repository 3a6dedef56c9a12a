import TestSupport
import XCTest

@testable import Tensor

final class ReLUTests: XCTestCase {
    func testForwardAndBackward() {
        var random = SeededRandom(seed: 31)
        // Keep inputs away from the kink at 0, where the derivative is undefined.
        let values = random.floats(3 * 4 * 5).map { $0 < 0 ? $0 - 0.05 : $0 + 0.05 }
        let input = Tensor(Shape(channels: 3, height: 4, width: 5), values: values)
        let output = Tensor(input.shape)
        ReLU.forward(input, into: output)
        for i in 0..<input.count { XCTAssertEqual(output[flat: i], max(input[flat: i], 0)) }
        let upstream = random.tensor(input.shape), gradient = Tensor(input.shape)
        ReLU.backward(output: output, outputGradient: upstream, into: gradient)
        let error = GradientCheck.relativeError(of: gradient, input: input, step: 1e-3) {
            ReLU.forward(input, into: output)
            return GradientCheck.dot(upstream, output)
        }
        XCTAssertLessThan(error, 1e-3)
    }

    func testInPlaceForward() {
        let tensor = Tensor(Shape(channels: 1, height: 1, width: 4), values: [-2, -0.5, 0.5, 3])
        ReLU.forward(tensor, into: tensor)
        XCTAssertEqual(tensor.array, [0, 0, 0.5, 3])
    }

    /// The eight-lane backward against its scalar definition, in place, on a length that is not a
    /// multiple of eight and spans several threads' chunks: outputs exactly 0 (the kink) and NaN
    /// pass no gradient.
    func testBackwardInPlaceMatchesTheDefinitionAtEveryLane() {
        let saved = Engine.threads
        defer { Engine.setThreads(saved) }
        Engine.setThreads(2)
        var random = SeededRandom(seed: 37)
        let shape = Shape(channels: 3, height: 211, width: 317)
        var outputs = random.floats(shape.count).map { max($0, 0) }
        for index in stride(from: 5, to: outputs.count, by: 97) { outputs[index] = .nan }
        let output = Tensor(shape, values: outputs), upstream = random.floats(shape.count)
        let gradient = Tensor(shape, values: upstream)
        ReLU.backward(output: output, outputGradient: gradient, into: gradient)
        var mismatches = 0
        for i in 0..<shape.count where gradient[flat: i] != (outputs[i] > 0 ? upstream[i] : 0) { mismatches += 1 }
        XCTAssertEqual(mismatches, 0)
        XCTAssertGreaterThan(outputs.filter { $0 == 0 }.count, shape.count / 4)
    }
}
