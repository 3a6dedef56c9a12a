import Network
import Tensor
import TestSupport
import XCTest

final class VGGArchitectureReceptiveFieldTests: XCTestCase {
    /// The published receptive fields of VGG-16's layers (e.g. Araujo et al., "Computing Receptive
    /// Fields of Convolutional Neural Networks", Distill 2019).
    func testVGG16ReceptiveFieldsAndStridesMatchThePublishedTable() throws {
        let table: [(String, Int, Int)] = [
            ("relu1_1", 3, 1), ("relu1_2", 5, 1), ("pool1", 6, 2), ("relu2_2", 14, 2), ("relu3_1", 24, 4),
            ("relu3_3", 40, 4), ("pool3", 44, 8), ("relu4_1", 60, 8), ("relu4_2", 76, 8), ("relu5_3", 196, 16),
            ("pool5", 212, 32),
        ]
        for (layer, field, stride) in table {
            XCTAssertEqual(try VGGArchitecture.vgg16.receptiveField(of: layer), field, layer)
            XCTAssertEqual(try VGGArchitecture.vgg16.stride(of: layer), stride, layer)
        }
        XCTAssertThrowsError(try VGGArchitecture.vgg16.receptiveField(of: "conv9"))
    }

    /// The gradient of one relu4_2 activation reaches no input pixel outside its receptive field
    /// (and more than relu4_1's): measured through a random network.
    func testTheGradientOfOneActivationStaysInsideItsReceptiveField() throws {
        let vgg = VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 3), pooling: .average)
        var random = SeededRandom(seed: 1)
        let image = random.tensor(Shape(channels: 3, height: 128, width: 128), in: 0...1)
        let features = try vgg.forward(image, layers: ["relu4_2"])["relu4_2"]!
        let seed = Tensor(features.shape)
        for c in 0..<seed.channels { seed[c, 8, 8] = 1 }
        let gradient = Tensor(image.shape)
        try vgg.backward(from: ["relu4_2": seed], into: gradient)
        var columns: [Int] = []
        for x in 0..<128 where (0..<128).contains(where: { y in (0..<3).contains { gradient[$0, y, x] != 0 } }) {
            columns.append(x)
        }
        let extent = (columns.max() ?? 0) - (columns.min() ?? 0) + 1
        XCTAssertLessThanOrEqual(extent, try RandomVGG.narrow16.receptiveField(of: "relu4_2"))
        XCTAssertGreaterThan(extent, try RandomVGG.narrow16.receptiveField(of: "relu4_1"))
    }
}
