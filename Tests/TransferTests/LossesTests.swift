import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

final class LossesTests: XCTestCase {
    func testContentLossGradient() {
        var random = SeededRandom(seed: 101)
        let target = random.tensor(Shape(channels: 3, height: 4, width: 5))
        let features = random.tensor(target.shape)
        let loss = ContentLoss(target: target)
        let gradient = Tensor(target.shape), scratch = Tensor(target.shape)
        let value = loss.evaluate(features: features, gradient: gradient)
        var expected = 0.0
        for i in 0..<target.count { expected += pow(Double(features[flat: i] - target[flat: i]), 2) }
        XCTAssertEqual(value, expected / Double(target.count), accuracy: 1e-6)
        let error = GradientCheck.relativeError(of: gradient, input: features) {
            loss.evaluate(features: features, gradient: scratch)
        }
        XCTAssertLessThan(error, 1e-2)
    }

    func testGramLossGradient() {
        var random = SeededRandom(seed: 102)
        let style = random.tensor(Shape(channels: 3, height: 5, width: 6))
        let features = random.tensor(Shape(channels: 3, height: 4, width: 4))
        let loss = GramLoss(styleFeatures: style)
        let gradient = Tensor(features.shape), scratch = Tensor(features.shape)
        _ = loss.evaluate(features: features, gradient: gradient)
        let error = GradientCheck.relativeError(of: gradient, input: features, step: 1e-2) {
            loss.evaluate(features: features, gradient: scratch)
        }
        XCTAssertLessThan(error, 1e-2)
    }

    func testTotalVariationValueAndGradient() {
        let flat = Tensor(Shape(channels: 2, height: 3, width: 3))
        flat.fill(0.7)
        let zero = Tensor(flat.shape)
        XCTAssertEqual(TotalVariation.accumulate(flat, weight: 1, into: zero), 0)
        var random = SeededRandom(seed: 103)
        let image = random.tensor(Shape(channels: 3, height: 4, width: 5))
        let gradient = Tensor(image.shape)
        _ = TotalVariation.accumulate(image, weight: 2, into: gradient)
        let error = GradientCheck.relativeError(of: gradient, input: image) {
            let scratch = Tensor(image.shape)
            return TotalVariation.accumulate(image, weight: 2, into: scratch)
        }
        XCTAssertLessThan(error, 1e-2)
    }

    func testChromaTotalVariationIgnoresGreyEdgesAndMatchesFiniteDifferences() {
        // A grey step (luminance only) has no chroma variation.
        let grey = Tensor(Shape(channels: 3, height: 3, width: 4))
        for c in 0..<3 { for y in 0..<3 { for x in 0..<4 { grey[c, y, x] = x < 2 ? 0.2 : 0.9 } } }
        XCTAssertEqual(TotalVariation.accumulateChroma(grey, weight: 1, into: Tensor(grey.shape)), 0, accuracy: 1e-12)
        // A red/green step of equal luminance has: (r−g) jumps by 2·0.5 on 3 rows.
        let redGreen = Tensor(grey.shape)
        for y in 0..<3 { for x in 0..<4 { redGreen[0, y, x] = x < 2 ? 0.75 : 0.25; redGreen[1, y, x] = x < 2 ? 0.25 : 0.75 } }
        XCTAssertEqual(TotalVariation.accumulateChroma(redGreen, weight: 1, into: Tensor(grey.shape)),
                       3 * 1.0 / Double(redGreen.count), accuracy: 1e-6)
        var random = SeededRandom(seed: 104)
        let image = random.tensor(Shape(channels: 3, height: 4, width: 5))
        let gradient = Tensor(image.shape)
        _ = TotalVariation.accumulateChroma(image, weight: 3, into: gradient)
        let error = GradientCheck.relativeError(of: gradient, input: image) {
            TotalVariation.accumulateChroma(image, weight: 3, into: Tensor(image.shape))
        }
        XCTAssertLessThan(error, 1e-2)
    }
}
