import Foundation
import ImageIO
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

/// Frames a hostile peer would write, for the tests of what the protocol refuses.
enum HostileFrames {
    /// A TASK payload for `key` up to its first tensor, whose header says `sizes` (channels,
    /// height, width), followed by `trailing` bytes.
    static func taskPayload(key: TileResultKey, sizes: [UInt32], trailing: [UInt8] = []) -> [UInt8] {
        var task = ByteWriter()
        task.append(key)
        task.append(UInt64(1))
        task.append(PixelRect(width: 8, height: 8))
        task.append(PixelRect(width: 4, height: 4))
        task.append(count: 1)
        task.append(UInt64(7))
        for size in sizes { task.append(size) }
        task.append(raw: trailing)
        return task.bytes
    }
}

/// Tiles that take `seconds` each, their pixels untouched, so that a job outlasts a scripted
/// peer's conversation whatever the machine's speed.
final class SlowTileComputation: TileComputation {
    private let inner = PassThroughTileComputation()
    private let seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    func prepare(_ style: StyleMessage) throws { try inner.prepare(style) }

    func solve(_ task: TaskMessage) throws -> TileResultRecord {
        Thread.sleep(forTimeInterval: seconds)
        return try inner.solve(task)
    }
}
