import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

final class DeepSemanticLossTests: XCTestCase {
    func testGradientMatchesFiniteDifferencesWithMatchesHeldByAClearMargin() {
        var random = SeededRandom(seed: 91)
        let style = random.tensor(Shape(channels: 4, height: 6, width: 7))
        let styleSemantics = random.tensor(Shape(channels: 2, height: 6, width: 7), in: 0...1)
        // The image is the style plus small noise: every image patch's best match is its own
        // counterpart by a wide margin, so finite-difference steps never change the matches.
        let image = Tensor(style.shape, values: style.array.map { $0 + random.float(in: -0.05...0.05) })
        let loss = DeepSemanticLoss(styleFeatures: style, styleSemantics: [styleSemantics], semanticWeights: [0.5])
        let gradient = Tensor(image.shape), scratch = Tensor(image.shape)
        let value = loss.evaluate(features: image, semantics: [styleSemantics], gradient: gradient)
        XCTAssertGreaterThan(value, 0)
        XCTAssertEqual(loss.matches.map(Int.init), Array(0..<20), "image patches should match their counterparts")
        let error = GradientCheck.relativeError(of: gradient, input: image, step: 1e-3) {
            loss.evaluate(features: image, semantics: [styleSemantics], gradient: scratch)
        }
        XCTAssertLessThan(error, 1e-2)
    }

    func testLossIsTheMeanSquaredDifferenceFromTheMatchedPatch() {
        // One image patch, two style patches; the nearer by cosine is the target.
        let style = Tensor(Shape(channels: 1, height: 3, width: 4), values: [1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0])
        let image = Tensor(Shape(channels: 1, height: 3, width: 3), values: [2, 2, 0, 2, 2, 0, 2, 2, 0])
        let loss = DeepSemanticLoss(styleFeatures: style, styleSemantics: [], semanticWeights: [])
        let gradient = Tensor(image.shape)
        let value = loss.evaluate(features: image, semantics: [], gradient: gradient)
        XCTAssertEqual(loss.matches, [0])  // patch 0 is (1,1,0)×3: the same direction as the image
        XCTAssertEqual(value, 6.0 / 9, accuracy: 1e-6)  // six of the nine entries differ by 1
    }

    func testSemanticChannelsDecideBetweenStylePatchesWithEqualFeatures() {
        // Style: two regions with identical features but different labels; the image patch
        // carries label B, so with a semantic weight it must match in region B.
        let features = Tensor(Shape(channels: 1, height: 3, width: 6), values: [Float](repeating: 1, count: 18))
        var labels = [Float](repeating: 0, count: 2 * 3 * 6)
        for y in 0..<3 {
            for x in 0..<6 { labels[(x < 3 ? 0 : 1) * 18 + y * 6 + x] = 1 }
        }
        let semantics = Tensor(Shape(channels: 2, height: 3, width: 6), values: labels)
        let image = Tensor(Shape(channels: 1, height: 3, width: 3), values: [Float](repeating: 1, count: 9))
        var imageLabels = [Float](repeating: 0, count: 18)
        for i in 9..<18 { imageLabels[i] = 1 }  // label B everywhere
        let imageSemantics = Tensor(Shape(channels: 2, height: 3, width: 3), values: imageLabels)
        let loss = DeepSemanticLoss(styleFeatures: features, styleSemantics: [semantics], semanticWeights: [1])
        _ = loss.evaluate(features: image, semantics: [imageSemantics], gradient: Tensor(image.shape))
        XCTAssertEqual(loss.matches, [3], "the only all-B style patch starts at x = 3")
    }
}
