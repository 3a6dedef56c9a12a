import TestSupport
import XCTest

@testable import Tensor

final class GramTests: XCTestCase {
    func testForwardMatchesDefinition() {
        var random = SeededRandom(seed: 51)
        let features = random.tensor(Shape(channels: 4, height: 3, width: 5))
        let gram = Tensor(Gram.shape(for: features.shape))
        Gram.forward(features, into: gram)
        for i in 0..<4 {
            for j in 0..<4 {
                var sum = 0.0
                for y in 0..<3 { for x in 0..<5 { sum += Double(features[i, y, x]) * Double(features[j, y, x]) } }
                XCTAssertEqual(Double(gram[0, i, j]), sum / 15, accuracy: 1e-6)
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 52)
        let features = random.tensor(Shape(channels: 3, height: 4, width: 3))
        let gram = Tensor(Gram.shape(for: features.shape))
        let upstream = random.tensor(gram.shape)  // not symmetric: exercises both terms
        let gradient = Tensor(features.shape)
        Gram.backward(features: features, gramGradient: upstream, into: gradient)
        let error = GradientCheck.relativeError(of: gradient, input: features, step: 1e-2) {
            Gram.forward(features, into: gram)
            return GradientCheck.dot(upstream, gram)
        }
        XCTAssertLessThan(error, 1e-2)
    }
}
