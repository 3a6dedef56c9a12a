import Tensor
import XCTest

@testable import Evaluation

final class EdgeCorrelationTests: XCTestCase {
    /// Against the textbook formula in Float64, and its fixed points: an affine copy correlates
    /// at 1, a negated one at −1, and a constant map gives 0 (defined so, not NaN).
    func testPearsonCorrelation() {
        var random = SplitMix64(seed: 21)
        let values = (0..<500).map { _ in Float.random(in: 0...1, using: &random) }
        let others = values.map { $0 * 0.3 + Float.random(in: 0...0.5, using: &random) }
        let shape = Shape(channels: 1, height: 20, width: 25)
        let a = Tensor(shape, values: values), b = Tensor(shape, values: others)

        let x = values.map(Double.init), y = others.map(Double.init)
        let meanX = x.reduce(0, +) / 500, meanY = y.reduce(0, +) / 500
        let covariance = zip(x, y).reduce(0.0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let spreadX = x.reduce(0.0) { $0 + ($1 - meanX) * ($1 - meanX) }.squareRoot()
        let spreadY = y.reduce(0.0) { $0 + ($1 - meanY) * ($1 - meanY) }.squareRoot()
        XCTAssertEqual(EdgeCorrelation.pearson(a, b), covariance / (spreadX * spreadY), accuracy: 1e-9)
        XCTAssertGreaterThan(EdgeCorrelation.pearson(a, b), 0.3)

        XCTAssertEqual(EdgeCorrelation.pearson(a, Tensor(shape, values: values.map { 2 * $0 + 1 })), 1, accuracy: 1e-6)
        XCTAssertEqual(EdgeCorrelation.pearson(a, Tensor(shape, values: values.map { -$0 })), -1, accuracy: 1e-6)
        let flat = Tensor(shape, values: [Float](repeating: 0.37, count: 500))
        XCTAssertEqual(EdgeCorrelation.pearson(a, flat), 0)
        XCTAssertEqual(EdgeCorrelation.pearson(flat, a), 0)
        XCTAssertEqual(EdgeCorrelation.pearson(flat, flat), 0)
    }

    func testAnImageAgainstItselfKeepsAllItsStructure() throws {
        let evaluation = try ExampleImages.evaluation()
        let photo = try ExampleImages.load("chelsea.png")
        XCTAssertEqual(try evaluation.structure(output: photo, content: photo), 1, accuracy: 1e-6)
        // The content may come at another size: it is resized to the output's.
        let large = try ExampleImages.load("chelsea.png", longSide: 320)
        XCTAssertGreaterThan(try evaluation.structure(output: photo, content: large), 0.9)
    }

    /// A flat output has no drawing of the content's: a figure near 0, never NaN. And another
    /// picture's edges correlate far less than the content's own.
    func testFlatAndUnrelatedOutputsKeepLittleStructure() throws {
        let evaluation = try ExampleImages.evaluation()
        let photo = try ExampleImages.load("chelsea.png")
        let flat = Tensor(photo.shape)
        flat.fill(0.5)
        let flatFigure = try evaluation.structure(output: flat, content: photo)
        XCTAssertFalse(flatFigure.isNaN)
        XCTAssertLessThan(abs(flatFigure), 0.2, "flat output: \(flatFigure)")
        let other = try ExampleImages.load("shipwreck.png").resized(height: photo.height, width: photo.width)
        let otherFigure = try evaluation.structure(output: other, content: photo)
        XCTAssertLessThan(otherFigure, 0.5, "unrelated picture: \(otherFigure)")
    }
}
