import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

final class GuidedGramLossTests: XCTestCase {
    /// A soft two-region segmentation (a vertical border blurred over a column) and an
    /// illumination encoding (L, 1 − L) varying along y, at `height`×`width`.
    private func guides(height: Int, width: Int, seed: UInt64) -> [Tensor] {
        var random = SeededRandom(seed: seed)
        let segmentation = Tensor(Shape(channels: 2, height: height, width: width))
        let light = Tensor(Shape(channels: 2, height: height, width: width))
        let border = width / 2
        for y in 0..<height {
            let level = Float(y) / Float(max(height - 1, 1)) * 0.8 + Float.random(in: 0...0.1, using: &random)
            for x in 0..<width {
                let left: Float = x < border ? 1 : (x == border ? 0.4 : 0)
                segmentation[0, y, x] = left
                segmentation[1, y, x] = 1 - left
                light[0, y, x] = level
                light[1, y, x] = 1 - level
            }
        }
        return [segmentation, light]
    }

    /// The loss by its definition, in Float64: Σ_c a_c ‖G_c − T_c‖² / ‖T‖² over the cells
    /// (region k × band b, weight seg_k · light_b) with the style's targets per cell.
    private func naiveLoss(features: Tensor, guides: [Tensor], style: Tensor, styleGuides: [Tensor]) -> Double {
        func cells(_ f: Tensor, _ g: [Tensor]) -> (grams: [[Double]], masses: [Double]) {
            let c = f.channels, n = f.height * f.width
            var grams: [[Double]] = [], masses: [Double] = []
            for k in 0..<2 {
                for b in 0..<2 {
                    var gram = [Double](repeating: 0, count: c * c), mass = 0.0
                    for p in 0..<n {
                        let region = Double(g[0][flat: k * n + p])
                        let w = region >= 1e-3 ? region * Double(g[1][flat: b * n + p]) : 0
                        mass += w
                        for i in 0..<c {
                            for j in 0..<c {
                                gram[i * c + j] += w * Double(f[flat: i * n + p]) * Double(f[flat: j * n + p])
                            }
                        }
                    }
                    grams.append(gram.map { $0 / mass })
                    masses.append(mass)
                }
            }
            return (grams, masses)
        }
        let image = cells(features, guides), target = cells(style, styleGuides)
        let c = features.channels
        var global = [Double](repeating: 0, count: c * c)
        for (gram, mass) in zip(target.grams, target.masses) { for i in 0..<(c * c) { global[i] += gram[i] * mass } }
        let norm = global.map { $0 / target.masses.reduce(0, +) }.reduce(0) { $0 + $1 * $1 }
        let total = image.masses.reduce(0, +)
        var loss = 0.0
        for cell in 0..<4 {
            var squares = 0.0
            for i in 0..<(c * c) { squares += pow(image.grams[cell][i] - target.grams[cell][i], 2) }
            loss += image.masses[cell] / total * squares / norm
        }
        return loss
    }

    func testValueMatchesTheDefinitionAndGradientMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 211)
        let style = random.tensor(Shape(channels: 4, height: 10, width: 12))
        let features = random.tensor(Shape(channels: 4, height: 6, width: 6))
        let styleGuides = guides(height: 10, width: 12, seed: 1), imageGuides = guides(height: 6, width: 6, seed: 2)
        let loss = GuidedGramLoss(
            styleFeatures: style,
            guidance: StyleGuidance(semantics: styleGuides, segmentationGroup: 0, height: 10, width: 12))
        let guidance = StyleGuidance(semantics: imageGuides, segmentationGroup: 0, height: 6, width: 6)
        XCTAssertEqual(guidance.regions.count, 2)
        XCTAssertEqual(guidance.bands, 2)
        let gradient = Tensor(features.shape), scratch = Tensor(features.shape)
        let value = loss.evaluate(features: features, guidance: guidance, gradient: gradient)
        let expected = naiveLoss(features: features, guides: imageGuides, style: style, styleGuides: styleGuides)
        XCTAssertEqual(value, expected, accuracy: 1e-4 * expected)
        XCTAssertGreaterThan(value, 0)
        let error = GradientCheck.relativeError(of: gradient, input: features, step: 1e-2) {
            loss.evaluate(features: features, guidance: guidance, gradient: scratch)
        }
        XCTAssertLessThan(error, 1e-2)
    }

    func testTheStyleItselfHasNoLossAndUnguidedIsTheRelativeGramDistance() {
        var random = SeededRandom(seed: 212)
        let style = random.tensor(Shape(channels: 3, height: 9, width: 10))
        let styleGuides = guides(height: 9, width: 10, seed: 3)
        let guided = StyleGuidance(semantics: styleGuides, segmentationGroup: 0, height: 9, width: 10)
        let loss = GuidedGramLoss(styleFeatures: style, guidance: guided)
        XCTAssertEqual(loss.evaluate(features: style, guidance: guided, gradient: Tensor(style.shape)), 0, accuracy: 1e-9)

        // Without guidance the loss is ‖G(F) − G(S)‖² / ‖G(S)‖² with plain Gram matrices.
        let features = random.tensor(Shape(channels: 3, height: 5, width: 5))
        let plain = GuidedGramLoss(
            styleFeatures: style, guidance: StyleGuidance(semantics: [], segmentationGroup: nil, height: 9, width: 10))
        let value = plain.evaluate(
            features: features, guidance: StyleGuidance(semantics: [], segmentationGroup: nil, height: 5, width: 5),
            gradient: Tensor(features.shape))
        let g = Tensor(Gram.shape(for: features.shape)), t = Tensor(Gram.shape(for: style.shape))
        Gram.forward(features, into: g)
        Gram.forward(style, into: t)
        var squares = 0.0, norm = 0.0
        for i in 0..<g.count {
            squares += pow(Double(g[flat: i] - t[flat: i]), 2)
            norm += pow(Double(t[flat: i]), 2)
        }
        XCTAssertEqual(value, squares / norm, accuracy: 1e-5 * squares / norm)
    }

    func testChunkedGathersGiveTheSameLossAsOneChunk() {
        // More pixels than one chunk: the Gram sums and the gradient span several gathers.
        var random = SeededRandom(seed: 213)
        let side = 130  // each region has about 8,450 pixels, more than one chunk
        XCTAssertGreaterThan(side * side / 2, GuidedGramLoss.chunk)
        let style = random.tensor(Shape(channels: 2, height: 12, width: 12))
        // Features unlike the style's, so that the Gram differences are not a cancellation of near-equal sums.
        let features = random.tensor(Shape(channels: 2, height: side, width: side), in: 0...2)
        let styleGuides = guides(height: 12, width: 12, seed: 4), imageGuides = guides(height: side, width: side, seed: 5)
        let loss = GuidedGramLoss(
            styleFeatures: style,
            guidance: StyleGuidance(semantics: styleGuides, segmentationGroup: 0, height: 12, width: 12))
        let guidance = StyleGuidance(semantics: imageGuides, segmentationGroup: 0, height: side, width: side)
        let gradient = Tensor(features.shape)
        let value = loss.evaluate(features: features, guidance: guidance, gradient: gradient)
        let expected = naiveLoss(features: features, guides: imageGuides, style: style, styleGuides: styleGuides)
        XCTAssertEqual(value, expected, accuracy: 1e-3 * expected)
        // A directional derivative along a random direction, by central differences.
        let direction = random.tensor(features.shape)
        var analytic = 0.0
        for i in 0..<features.count { analytic += Double(gradient[flat: i] * direction[flat: i]) }
        let step: Float = 1e-2
        let plus = features.clone(), minus = features.clone()
        for i in 0..<features.count {
            plus[flat: i] += step * direction[flat: i]
            minus[flat: i] -= step * direction[flat: i]
        }
        let scratch = Tensor(features.shape)
        let numeric = (loss.evaluate(features: plus, guidance: guidance, gradient: scratch)
            - loss.evaluate(features: minus, guidance: guidance, gradient: scratch)) / (2 * Double(step))
        XCTAssertEqual(analytic, numeric, accuracy: 2e-2 * abs(numeric))
    }
}
