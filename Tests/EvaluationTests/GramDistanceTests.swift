import Tensor
import XCTest

@testable import Evaluation

final class GramDistanceTests: XCTestCase {
    func testRelativeDistanceIsTheFrobeniusRatio() {
        let shape = Shape(channels: 1, height: 2, width: 2)
        let reference = Tensor(shape, values: [3, 0, 0, 4])
        XCTAssertEqual(GramDistance.relativeDistance(Tensor(shape, values: [3, 0, 0, 4]), reference), 0)
        // ‖(−3, 0, 0, 0)‖ / ‖(3, 0, 0, 4)‖ = 3 / 5; ‖(3, 1, 1, 4)‖ / 5 = √27 / 5.
        let missing = GramDistance.relativeDistance(Tensor(shape, values: [0, 0, 0, 4]), reference)
        XCTAssertEqual(missing, 0.6, accuracy: 1e-12)
        let larger = GramDistance.relativeDistance(Tensor(shape, values: [6, 1, 1, 8]), reference)
        XCTAssertEqual(larger, 27.0.squareRoot() / 5, accuracy: 1e-12)
    }

    /// The painting against itself: 0 at every layer, reported by name, shallow to deep.
    func testAPaintingAgainstItselfIsAtDistanceZeroAtEveryLayer() throws {
        let evaluation = try ExampleImages.evaluation()
        let painting = try ExampleImages.load("starry_night.png")
        let layers = try evaluation.styleLayers(output: painting, painting: painting)
        XCTAssertEqual(layers.map(\.layer), ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"])
        for layer in layers { XCTAssertEqual(layer.distance, 0, accuracy: 1e-6, layer.layer) }
    }

    /// A photo is far from the painting at every layer, and the painting at twice the size is
    /// brought to the output's scale before it is compared.
    func testAPhotoIsFarFromThePaintingAndThePaintingIsScaledFirst() throws {
        let evaluation = try ExampleImages.evaluation()
        let photo = try ExampleImages.load("chelsea.png")
        let painting = try ExampleImages.load("starry_night.png")
        let layers = try evaluation.styleLayers(output: photo, painting: painting)
        for layer in layers { XCTAssertGreaterThan(layer.distance, 0.2, layer.layer) }
        let larger = try ExampleImages.load("starry_night.png", longSide: 320)
        let scaled = try evaluation.styleLayers(output: photo, painting: larger)
        for (a, b) in zip(layers, scaled) {
            XCTAssertEqual(a.distance, b.distance, accuracy: 0.1 * a.distance, a.layer)
        }
    }
}
