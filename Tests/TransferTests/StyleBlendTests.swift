import Network
import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

/// Several paintings in one style loss (`LevelObjective.StyleShare`,
/// `MultiScaleStylizer.Inputs(blending:)`): each painting's terms times its share.
final class StyleBlendTests: XCTestCase {
    /// In every mode, with the shallow statistics on, a blend's loss and gradient are the shares'
    /// sum of each painting's alone (the content and TV terms, common to all, counted once):
    /// L(0.3 A + 0.7 B) = 0.3 L(A) + 0.7 L(B), computed from three separate objectives.
    func testABlendsLossAndGradientAreTheSharesSumOfEachPaintingsAlone() throws {
        var random = SeededRandom(seed: 31)
        let weights = RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 31)
        let vgg = VGG(weights: weights, pooling: .average)
        let paintings = (0..<2).map { _ in random.tensor(Shape(channels: 3, height: 40, width: 40), in: 0...1) }
        let content = random.tensor(Shape(channels: 3, height: 40, width: 40), in: 0...1)
        var labels = [Float](repeating: 0, count: 2 * 40 * 40)
        for i in 0..<(40 * 40) { labels[(i % 40 < 20 ? 0 : 1) * 1600 + i] = 1 }
        let guide = Tensor(Shape(channels: 2, height: 40, width: 40), values: labels)
        for mode in TransferSettings.Mode.allCases {
            var settings = TransferSettings()
            settings.mode = mode
            settings.search = .exact  // the same matches in every objective
            settings.shallowWeight = 0.5
            let semantics = mode == .dss ? [guide] : []
            let banks = try paintings.map {
                try StyleBank(vgg: vgg, settings: settings, style: $0, styleSemantics: semantics,
                              semanticWeights: mode == .dss ? [1] : [])
            }
            func evaluate(_ shares: [(bank: StyleBank, weight: Float)]) throws -> (Double, [Float]) {
                let objective = try LevelObjective(
                    vgg: vgg, settings: settings,
                    styles: shares.map { .init(bank: $0.bank, contentSemantics: semantics, weight: $0.weight) },
                    content: content)
                let gradient = Tensor(content.shape)
                let loss = try objective.evaluate(content.clone(), gradient: gradient)
                return (loss, gradient.array)
            }
            let (a, gradientA) = try evaluate([(banks[0], 1)])
            let (b, gradientB) = try evaluate([(banks[1], 1)])
            let (blend, gradientBlend) = try evaluate([(banks[0], 0.3), (banks[1], 0.7)])
            XCTAssertNotEqual(a, b, "\(mode): the paintings differ")
            XCTAssertEqual(blend, 0.3 * a + 0.7 * b, accuracy: 1e-5 * abs(blend), "\(mode)")
            let expected = zip(gradientA, gradientB).map { 0.3 * $0 + 0.7 * $1 }
            let scale = expected.map(abs).max()!
            let error = zip(gradientBlend, expected).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(error, 1e-4 * scale, "\(mode)")
        }
    }

    /// One painting is its own inputs, unchanged; several keep the first one's fields, list every
    /// painting with its share, and start from their starts mixed by share.
    func testBlendingInputsKeepsOnePaintingAndMixesTheStarts() {
        let content = Tensor(Shape(channels: 3, height: 2, width: 2), values: [Float](repeating: 0.5, count: 12))
        let red = Tensor(
            Shape(channels: 3, height: 2, width: 2), values: [1, 1, 1, 1] + [Float](repeating: 0, count: 8))
        var first = MultiScaleStylizer.Inputs(content: content, style: red)
        first.initial = red
        let second = MultiScaleStylizer.Inputs(content: content, style: content)
        let alone = MultiScaleStylizer.Inputs(blending: [(first, 1)])
        XCTAssertTrue(alone.blend.isEmpty)
        XCTAssertTrue(alone.initial === red)
        XCTAssertEqual(alone.paintings.map(\.share), [1])

        let blend = MultiScaleStylizer.Inputs(blending: [(first, 0.25), (second, 0.75)])
        XCTAssertTrue(blend.style === red)
        XCTAssertEqual(blend.paintings.map(\.share), [0.25, 0.75])
        // Red's start (1, 0, 0) and the content (0.5, 0.5, 0.5), a quarter and three quarters.
        XCTAssertEqual(blend.initial?.array, [Float](repeating: 0.625, count: 4) + [Float](repeating: 0.375, count: 8))
    }

    /// The colour finish's target: each painting's pixels in proportion to its share, the count
    /// set by the largest painting (a 10×10 red and a 20×20 blue at 1/4 and 3/4: 100 and 300).
    func testTheFinishMatchesThePaintingsPixelsInProportionToTheirShares() {
        func plain(_ colour: SIMD3<Float>, side: Int) -> Tensor {
            let plane = side * side
            return Tensor(Shape(channels: 3, height: side, width: side),
                          values: (0..<3).flatMap { [Float](repeating: colour[$0], count: plane) })
        }
        let red = plain(SIMD3(1, 0, 0), side: 10), blue = plain(SIMD3(0, 0, 1), side: 20)
        let cloud = MultiScaleStylizer.Inputs.blendedPixels([(red, 0.25), (blue, 0.75)])
        XCTAssertEqual(cloud.shape, Shape(channels: 3, height: 1, width: 400))
        let values = cloud.array
        XCTAssertEqual(values[0..<400].filter { $0 == 1 }.count, 100, "red")
        XCTAssertEqual(values[800..<1200].filter { $0 == 1 }.count, 300, "blue")

        let content = plain(SIMD3(0.5, 0.5, 0.5), side: 4)
        let blend = MultiScaleStylizer.Inputs(blending: [
            (MultiScaleStylizer.Inputs(content: content, style: red), 0.25),
            (MultiScaleStylizer.Inputs(content: content, style: blue), 0.75),
        ])
        XCTAssertEqual(blend.finishingBlend.style.array, values)
        XCTAssertTrue(MultiScaleStylizer.Inputs(content: content, style: red).finishingBlend.style === red)
    }
}
