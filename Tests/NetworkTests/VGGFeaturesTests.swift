import Network
import Tensor
import TestSupport
import XCTest

final class VGGFeaturesTests: XCTestCase {
    /// The features-only pass runs the same kernels as the pass with a tape, so its features are
    /// the same bits: with the real weights and with random ones, both poolings, names repeated
    /// and out of order.
    func testFeaturesAreTheForwardsActivationsBitForBit() throws {
        let real = try VGGWeights(contentsOf: RealWeights.path())
        let random16 = RandomVGG.weights(RandomVGG.narrow16, preprocessing: .torch, seed: 4)
        for (weights, pooling, side) in [(real, Pool2x2.Kind.max, 52), (real, .average, 44), (random16, .max, 37)] {
            var random = SeededRandom(seed: 17)
            let image = random.tensor(Shape(channels: 3, height: side, width: side + 9), in: 0...1)
            let layers = ["relu4_1", "relu1_1", "relu3_1", "relu4_1", "pool2", "relu4_2"]
            let vgg = VGG(weights: weights, pooling: pooling)
            let features = try vgg.features(of: image, layers: layers)
            let activations = try vgg.forward(image, layers: layers)
            XCTAssertEqual(Set(features.keys), Set(layers))
            for layer in Set(layers) {
                XCTAssertEqual(features[layer]!.shape, activations[layer]!.shape, layer)
                XCTAssertEqual(features[layer]!.array, activations[layer]!.array, "\(layer), \(pooling) pooling")
            }
        }
    }

    /// The features are the caller's: a later pass of either kind does not write them, and the
    /// features-only pass leaves the plan of the pass with a tape alone (a backward after it
    /// still runs from the earlier forward, and gives the same gradient).
    func testFeaturesNeitherShareNorReplaceTheTapesBuffers() throws {
        let vgg = VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 2))
        var random = SeededRandom(seed: 5)
        let image = random.tensor(Shape(channels: 3, height: 24, width: 20), in: 0...1)
        let other = random.tensor(Shape(channels: 3, height: 40, width: 36), in: 0...1)
        let seed = random.tensor(Shape(channels: 8, height: 6, width: 5))
        let reference = Tensor(image.shape)
        _ = try vgg.forward(image, layers: ["relu3_1"])
        try vgg.backward(from: ["relu3_1": seed], into: reference)

        let kept = try vgg.features(of: image, layers: ["relu3_1"])["relu3_1"]!
        let copy = kept.clone()
        _ = try vgg.forward(image, layers: ["relu3_1"])
        _ = try vgg.features(of: other, layers: ["relu3_1"])
        let gradient = Tensor(image.shape)
        try vgg.backward(from: ["relu3_1": seed], into: gradient)
        XCTAssertEqual(gradient.array, reference.array)
        XCTAssertEqual(kept.array, copy.array, "a later pass wrote the features it had returned")
    }

    /// Bad requests are refused as `forward` refuses them.
    func testFeaturesRefuseAnUnknownLayerAndATooSmallImage() {
        let vgg = VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .torch, seed: 1))
        XCTAssertThrowsError(try vgg.features(of: Tensor(channels: 3, height: 16, width: 16), layers: ["relu5_4"])) {
            XCTAssertEqual($0 as? NetworkError, .unknownLayer(name: "relu5_4", architecture: "vgg16"))
        }
        XCTAssertThrowsError(try vgg.features(of: Tensor(channels: 3, height: 8, width: 8), layers: ["relu5_1"])) {
            XCTAssertEqual($0 as? NetworkError, .imageTooSmall(width: 8, height: 8, layer: "pool4"))
        }
    }
}
