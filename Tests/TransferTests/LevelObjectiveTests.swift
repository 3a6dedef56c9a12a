import ImageIO
import Network
import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

final class LevelObjectiveTests: XCTestCase {
    private func objective(mode: TransferSettings.Mode, seed: UInt64) throws -> (LevelObjective, Tensor) {
        var random = SeededRandom(seed: seed)
        let vgg = VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: seed), pooling: .average)
        let style = random.tensor(Shape(channels: 3, height: 40, width: 40), in: 0...1)
        // The image is the style plus noise, so every patch keeps its best match under small steps.
        let content = Tensor(style.shape, values: style.array.map { min(max($0 + random.float(in: -0.05...0.05), 0), 1) })
        var labels = [Float](repeating: 0, count: 2 * 40 * 40)
        for i in 0..<(40 * 40) { labels[(i % 40 < 20 ? 0 : 1) * 1600 + i] = 1 }
        let guide = Tensor(Shape(channels: 2, height: 40, width: 40), values: labels)
        var settings = TransferSettings()
        settings.mode = mode
        settings.contentWeight = 0.5
        settings.styleWeight = 2
        settings.tvWeight = 3
        let objective = try LevelObjective(
            vgg: vgg, settings: settings, content: content, style: style,
            contentSemantics: mode == .dss ? [guide] : [], styleSemantics: mode == .dss ? [guide] : [],
            semanticWeights: mode == .dss ? [1] : [])
        let x = Tensor(content.shape, values: content.array.map { min(max($0 + random.float(in: -0.02...0.02), 0), 1) })
        return (objective, x)
    }

    func testGradientOfTheWholeLevelLossMatchesFiniteDifferences() throws {
        for mode in TransferSettings.Mode.allCases {
            let (objective, x) = try objective(mode: mode, seed: 7)
            let gradient = Tensor(x.shape), scratch = Tensor(x.shape)
            _ = try objective.evaluate(x, gradient: gradient)
            let indices = GradientCheck.sampleIndices(total: x.count, count: 40)
            let error = GradientCheck.relativeError(of: gradient, input: x, indices: indices, step: 3e-4) {
                try! objective.evaluate(x, gradient: scratch)
            }
            // The whole network in Float32: steps small enough for ReLU's kinks leave ~1% noise.
            XCTAssertLessThan(error, 3e-2, "\(mode)")
        }
    }

    func testLBFGSLowersTheLevelLoss() throws {
        let (objective, x) = try objective(mode: .dss, seed: 8)
        let optimizer = LBFGS(shape: x.shape)
        let trace = try optimizer.minimize(
            x, iterations: 10,
            objective: { image, gradient in try objective.evaluate(image, gradient: gradient, searching: false) },
            refresh: { image, gradient in try objective.evaluate(image, gradient: gradient, searching: true) })
        XCTAssertLessThan(trace.last!, 0.5 * trace.first!, "loss trace \(trace)")
        XCTAssertLessThan(objective.evaluations, 3 * 10 + 1, "the line search should rarely backtrack")
        // Each fresh search at an accepted point reuses that point's forward pass.
        XCTAssertLessThanOrEqual(objective.forwardPasses, objective.evaluations - 9)
    }

    func testReusedForwardPassGivesTheSameLossAndGradient() throws {
        let (objective, x) = try objective(mode: .dss, seed: 9)
        let first = Tensor(x.shape), second = Tensor(x.shape)
        let a = try objective.evaluate(x, gradient: first)
        let b = try objective.evaluate(x, gradient: second)
        XCTAssertEqual(objective.forwardPasses, 1)
        XCTAssertEqual(a, b)
        XCTAssertEqual(first.array, second.array)
        // A changed image runs the network again and changes the loss.
        x[flat: 0] = 1 - x[flat: 0]
        let c = try objective.evaluate(x, gradient: second)
        XCTAssertEqual(objective.forwardPasses, 2)
        XCTAssertNotEqual(a, c)
    }
}

final class LevelObjectiveOptimisationTests: XCTestCase {
    /// A tile's halo is read-only context: optimising with a free region changes pixels inside it
    /// only, and still lowers the loss.
    func testPixelsOutsideTheFreeRegionKeepTheirExactValues() throws {
        var random = SeededRandom(seed: 21)
        let vgg = VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 21), pooling: .average)
        let style = random.tensor(Shape(channels: 3, height: 40, width: 40), in: 0...1)
        let content = random.tensor(Shape(channels: 3, height: 48, width: 40), in: 0...1)
        let bank = try StyleBank(vgg: vgg, settings: TransferSettings(), style: style, styleSemantics: [],
                                 semanticWeights: [])
        let objective = try LevelObjective(vgg: vgg, settings: TransferSettings(), style: bank, content: content,
                                           contentSemantics: [])
        let x = content.clone()
        let free = PixelRect(x: 8, y: 12, width: 20, height: 24)
        let trace = try objective.optimise(x, iterations: 5, free: free)
        XCTAssertLessThan(trace.last!, trace.first!)
        var changedInside = 0
        for c in 0..<3 {
            for y in 0..<48 {
                for x0 in 0..<40 {
                    let before = content[c, y, x0], after = x[c, y, x0]
                    if free.contains(PixelRect(x: x0, y: y, width: 1, height: 1)) {
                        if before != after { changedInside += 1 }
                    } else {
                        XCTAssertEqual(before, after, "context pixel \(c),\(y),\(x0) moved")
                    }
                }
            }
        }
        XCTAssertGreaterThan(changedInside, free.pixelCount, "the free region should change")
    }
}
