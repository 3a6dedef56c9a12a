import Network
import Tensor
import TestSupport
import Transfer

@testable import Pipeline

/// Small inputs for the solver and runner tests: a narrow random VGG, random images and a
/// two-region DSS (left and right halves), so that a whole run takes seconds.
enum PipelineFixtures {
    static func vgg() -> VGG {
        VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 8), pooling: .average)
    }

    /// A one-hot left/right split, 2×height×width.
    static func halves(width: Int, height: Int) -> Tensor {
        let map = Tensor(channels: 2, height: height, width: width)
        for y in 0..<height {
            for x in 0..<width { map[x < width / 2 ? 0 : 1, y, x] = 1 }
        }
        return map
    }

    /// Smooth random content (a low-resolution random image enlarged) and a random style, with DSS.
    static func inputs(width: Int, height: Int, seed: UInt64) -> MultiScaleStylizer.Inputs {
        var random = SeededRandom(seed: seed)
        let coarse = random.tensor(Shape(channels: 3, height: 6, width: 8), in: 0.1...0.9)
        let content = MultiScaleStylizer.resized(coarse, width: width, height: height, kind: .bilinear)
        let style = random.tensor(Shape(channels: 3, height: 72, width: 72), in: 0...1)
        return MultiScaleStylizer.Inputs(
            content: content, style: style, contentSemantics: [halves(width: width, height: height)],
            styleSemantics: [halves(width: 72, height: 72)], semanticWeights: [1])
    }

    static func settings(tileSize: Int, coarseSize: Int, iterations: [Int], rounds: Int = 2) -> StylizeSettings {
        var settings = StylizeSettings()
        settings.transfer.coarseSize = coarseSize
        settings.transfer.iterations = iterations
        settings.tile.size = tileSize
        settings.tile.overlap = 16
        settings.tile.halo = 40
        settings.tile.rounds = rounds
        return settings
    }
}
