import ImageIO
import Tensor

/// Names one tile's task and its result: (job, level, round, tile index). The coordinator accepts
/// one result per key; the store files it under its level and round, and orders keys the way a
/// round's results are blended (tile order), so that the canvas bytes never depend on the order in
/// which results arrived.
public struct TileResultKey: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The job's identity: the job hash (`RunManifest.jobHash`) or a prefix of it.
    public var job: String
    public var level: Int
    public var round: Int
    public var tile: Int

    public init(job: String, level: Int, round: Int, tile: Int) {
        self.job = job
        self.level = level
        self.round = round
        self.tile = tile
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.job, lhs.level, lhs.round, lhs.tile) < (rhs.job, rhs.level, rhs.round, rhs.tile)
    }

    public var description: String { "level \(level) round \(round) tile \(tile)" }
}

/// One accepted tile result as the store keeps it: the optimised pixels of the tile's result
/// rectangle (core and overlap, in level coordinates) and the loss after each iteration.
public struct TileResultRecord: Sendable {
    public var key: TileResultKey
    public var rect: PixelRect
    /// channels × rect.height × rect.width.
    public var pixels: Tensor
    public var lossTrace: [Float]

    public init(key: TileResultKey, rect: PixelRect, pixels: Tensor, lossTrace: [Float]) {
        precondition(
            pixels.height == rect.height && pixels.width == rect.width,
            "\(pixels.shape) pixels for the rectangle \(rect)")
        self.key = key
        self.rect = rect
        self.pixels = pixels
        self.lossTrace = lossTrace
    }
}
