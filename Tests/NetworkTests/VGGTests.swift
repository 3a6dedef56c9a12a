@testable import Network
import Tensor
import TestSupport
import XCTest

final class VGGTests: XCTestCase {
    /// Every relu and pool activation through pool5 against the Float64 loops.
    func testForwardMatchesTheFloat64Reference() throws {
        for (pooling, preprocessing) in [(Pool2x2.Kind.max, Preprocessing.caffe), (.average, .torch)] {
            let weights = RandomVGG.weights(RandomVGG.narrow16, preprocessing: preprocessing, seed: 3)
            var random = SeededRandom(seed: 11)
            let image = random.tensor(Shape(channels: 3, height: 35, width: 33), in: 0...1)
            let vgg = VGG(weights: weights, pooling: pooling)
            let names = weights.architecture.layerNames
            let activations = try vgg.forward(image, layers: names)
            let reference = NaiveVGG.forward(weights, pooling: pooling, image: image, through: "pool5")
            for name in names {
                let (actual, expected) = (activations[name]!, reference[name]!)
                XCTAssertEqual(actual.shape, expected.shape, name)
                let scale = expected.values.map(abs).max()!
                let error = (0..<actual.count).map { abs(Double(actual[flat: $0]) - expected.values[$0]) }.max()!
                XCTAssertLessThan(error / scale, 1e-5, "\(name) with \(pooling) pooling, \(preprocessing)")
            }
            XCTAssertEqual(activations["pool5"]?.shape, Shape(channels: 8, height: 1, width: 1))
        }
    }

    /// The forward stops at the deepest requested layer: asking for relu2_1 leaves deeper layers
    /// uncomputed, so a backward from relu3_1 is refused.
    func testForwardStopsAtTheDeepestRequestedLayer() throws {
        let vgg = VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .torch, seed: 1))
        let image = Tensor(channels: 3, height: 16, width: 16)
        let activations = try vgg.forward(image, layers: ["relu1_1", "relu2_1"])
        XCTAssertEqual(Set(activations.keys), ["relu1_1", "relu2_1"])
        let gradient = Tensor(channels: 6, height: 4, width: 4)
        XCTAssertThrowsError(
            try vgg.backward(from: ["relu3_1": gradient], into: Tensor(channels: 3, height: 16, width: 16))
        ) {
            XCTAssertTrue("\($0)".contains("stopped before it"), "\($0)")
        }
        XCTAssertThrowsError(try vgg.forward(image, layers: ["relu5_4"])) {
            XCTAssertEqual($0 as? NetworkError, .unknownLayer(name: "relu5_4", architecture: "vgg16"))
        }
        XCTAssertThrowsError(try vgg.forward(Tensor(channels: 3, height: 8, width: 8), layers: ["relu5_1"])) {
            XCTAssertEqual($0 as? NetworkError, .imageTooSmall(width: 8, height: 8, layer: "pool4"))
        }
    }

    /// ∂L/∂image from gradients at three layers at once, against central differences of the Float64
    /// reference loss L = Σ_l ⟨G_l, F_l(image)⟩.
    func testBackwardMatchesFiniteDifferences() throws {
        for (pooling, preprocessing, architecture) in [
            (Pool2x2.Kind.average, Preprocessing.torch, RandomVGG.narrow19),
            (.max, .caffe, RandomVGG.narrow16),
        ] {
            let weights = RandomVGG.weights(architecture, preprocessing: preprocessing, seed: 5)
            var random = SeededRandom(seed: 9)
            let image = random.tensor(Shape(channels: 3, height: 16, width: 18), in: 0...1)
            let vgg = VGG(weights: weights, pooling: pooling)
            let layers = ["relu1_2", "relu3_1", "relu4_2"]
            let activations = try vgg.forward(image, layers: layers)
            let gradients = layers.reduce(into: [String: Tensor]()) { $0[$1] = random.tensor(activations[$1]!.shape) }
            let imageGradient = Tensor(image.shape)
            try vgg.backward(from: gradients, into: imageGradient)

            let step: Float = preprocessing == .caffe ? 1e-4 : 1e-3
            let error = GradientCheck.relativeError(
                of: imageGradient, input: image, indices: GradientCheck.sampleIndices(total: image.count, count: 40),
                step: step
            ) {
                let reference = NaiveVGG.forward(weights, pooling: pooling, image: image, through: "relu4_2")
                return layers.reduce(0.0) { sum, name in
                    let g = gradients[name]!
                    return sum + reference[name]!.values.enumerated().reduce(0.0) { $0 + Double(g[flat: $1.0]) * $1.1 }
                }
            }
            XCTAssertLessThan(error, 2e-3, "\(architecture) with \(pooling) pooling, \(preprocessing)")
        }
    }

    /// After the first pass at a size, forward + backward allocate no tensor or scratch buffer.
    func testASecondPassAtTheSameSizeAllocatesNothing() throws {
        let vgg = VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 2))
        var random = SeededRandom(seed: 4)
        let image = random.tensor(Shape(channels: 3, height: 40, width: 24), in: 0...1)
        let imageGradient = Tensor(image.shape)
        let layers = ["relu1_1", "relu3_1", "relu4_1", "relu4_2"]
        let gradients = try vgg.forward(image, layers: layers).mapValues { random.tensor($0.shape) }
        try vgg.backward(from: gradients, into: imageGradient)
        let first = imageGradient.array

        let before = Tensor.allocationCount
        _ = try vgg.forward(image, layers: layers)
        try vgg.backward(from: gradients, into: imageGradient)
        XCTAssertEqual(Tensor.allocationCount, before, "a planned pass allocated")
        XCTAssertEqual(imageGradient.array, first)
    }
}

extension VGGTests {
    /// The tape keeps a convolution's output that no one reads as one sign bit per element, and
    /// ReLU's backward from those bits is ReLU's backward from the values: the image gradient is
    /// the same bits whether the forward kept every layer whole (all requested) or only the
    /// requested one, with both poolings (max pooling keeps each pooling's input whole).
    func testBackwardFromTheSignBitsIsBackwardFromTheValues() throws {
        for (pooling, architecture) in [(Pool2x2.Kind.average, RandomVGG.narrow16), (.max, RandomVGG.narrow19)] {
            let weights = RandomVGG.weights(architecture, preprocessing: .caffe, seed: 8)
            var random = SeededRandom(seed: 12)
            let image = random.tensor(Shape(channels: 3, height: 37, width: 30), in: 0...1)
            let shapes = architecture.activationShapes(height: 37, width: 30)
            let deepest = try architecture.position(of: "relu4_2")
            let gradient = random.tensor(shapes[deepest])
            let everyLayer = Array(architecture.layerNames.prefix(deepest + 1))

            let whole = VGG(weights: weights, pooling: pooling)
            _ = try whole.forward(image, layers: everyLayer)
            let fromValues = Tensor(image.shape)
            try whole.backward(from: ["relu4_2": gradient], into: fromValues)

            let compact = VGG(weights: weights, pooling: pooling)
            _ = try compact.forward(image, layers: ["relu4_2"])
            let fromSigns = Tensor(image.shape)
            try compact.backward(from: ["relu4_2": gradient], into: fromSigns)
            XCTAssertEqual(fromSigns.array, fromValues.array, "\(pooling) pooling")

            // The compact tape: relu4_2 in Float, every other convolution's output in bits, and
            // with max pooling each pooling's input in Float.
            let pools = (0...deepest).filter { architecture.layerNames[$0].hasPrefix("pool") }
            let floats = (0...deepest).filter { $0 == deepest || (pooling == .max && pools.contains($0 + 1)) }
            let bits = (0..<deepest).filter { !floats.contains($0) && !pools.contains($0) }
            let expected = floats.reduce(0) { $0 + shapes[$1].count * 4 }
                + bits.reduce(0) { $0 + (shapes[$1].count + 63) / 64 * 8 }
            XCTAssertEqual(compact.tapeBytes, expected, "\(pooling) pooling")
            if pooling == .average { XCTAssertLessThan(compact.tapeBytes * 8, whole.tapeBytes) }
        }
    }
}
