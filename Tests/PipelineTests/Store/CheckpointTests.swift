import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

/// The store used the way a coordinator uses it: a round interrupted after some tiles, resumed by
/// a new coordinator that recomputes only the missing tiles, blends the round in tile order into
/// the level's canvas and checkpoints. The end state equals that of an uninterrupted run.
final class CheckpointTests: XCTestCase {
    private let jobHash = JobHash.of(["content": "c.tif", "style": "s.png"] as [String: Any])
    private let level = PixelRect(width: 64, height: 48)
    /// Four 32×24 tiles covering the level.
    private var rects: [PixelRect] { level.tiles(width: 32, height: 24).map { $0 } }

    private func result(_ tile: Int) -> TileResultRecord {
        var random = SeededRandom(seed: UInt64(tile))
        let rect = rects[tile]
        return TileResultRecord(
            key: TileResultKey(job: jobHash, level: 0, round: 0, tile: tile), rect: rect,
            pixels: random.tensor(Shape(channels: 3, height: rect.height, width: rect.width), in: 0...1),
            lossTrace: [2, 1])
    }

    func testAnInterruptedRoundResumesWithoutRecomputingStoredTiles() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("run")
        do {  // The first coordinator: starts the level, accepts tiles 2 and 0, then dies.
            let directory = try RunDirectory(path: path)
            var manifest = try directory.start(jobHash: jobHash, resume: false)
            let canvas = try CanvasFile.create(
                at: directory.canvasPath(level: 0), channels: 3, width: level.width, height: level.height,
                precision: .levelCanvas)
            manifest.levels.append(
                .init(level: 0, width: level.width, height: level.height, rounds: 1,
                    canvas: directory.canvasName(level: 0), precision: .levelCanvas))
            for tile in [2, 0] {
                try directory.tiles.write(result(tile))
                manifest.recordTile(result(tile).key)
            }
            try canvas.sync()
            try directory.writeManifest(manifest)
            try canvas.close()
            try directory.close()
        }
        // The restarted coordinator.
        let directory = try RunDirectory(path: path)
        defer { try? directory.close() }
        var manifest = try directory.start(jobHash: jobHash, resume: true)
        let next = try XCTUnwrap(manifest.nextRound)
        XCTAssertEqual([next.level, next.round], [0, 0])
        let stored = try directory.tiles.completedTiles(level: 0, round: 0)
        XCTAssertEqual(stored, [0, 2])
        XCTAssertEqual(manifest.completedTiles.map(\.tile), stored)
        let missing = rects.indices.filter { !stored.contains($0) }
        XCTAssertEqual(missing, [1, 3], "only the tiles without a stored result are computed again")
        for tile in missing { try directory.tiles.write(result(tile)) }

        let canvas = try CanvasFile.open(at: "\(directory.path)/\(manifest.levels[0].canvas)")
        for tile in try directory.tiles.completedTiles(level: 0, round: 0) {
            let record = try directory.tiles.read(TileResultKey(job: jobHash, level: 0, round: 0, tile: tile))
            canvas.write(record.pixels, at: record.rect)
        }
        try canvas.sync()
        manifest.completeRound(level: 0)
        try directory.writeManifest(manifest)
        try directory.tiles.removeRound(level: 0, round: 0)
        try canvas.close()

        XCTAssertNil(try directory.readManifest()?.nextRound)
        let reopened = try CanvasFile.open(at: directory.canvasPath(level: 0), writable: false)
        defer { try? reopened.close() }
        for tile in rects.indices {
            let read = Tensor(channels: 3, height: rects[tile].height, width: rects[tile].width)
            reopened.read(rects[tile], into: read)
            XCTAssertEqual(read.array, result(tile).pixels.array, "tile \(tile)")
        }
    }
}
