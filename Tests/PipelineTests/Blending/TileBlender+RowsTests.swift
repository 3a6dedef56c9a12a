import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

/// The row-by-row blend: the same bytes as the blend of regions, each result asked for once, in
/// tile order, on grids of every shape a round makes (shifted, uneven, one tile row, no overlap).
final class TileBlenderRowsTests: XCTestCase {
    private func grid(width: Int, height: Int, round: Int, overlap: Int) -> TileGrid {
        var settings = TileSettings()
        settings.size = 48
        settings.overlap = overlap
        settings.halo = 40
        settings.rounds = 2
        return TileGrid(width: width, height: height, round: round, settings: settings, alignment: 8)
    }

    func testRowsGiveTheBytesOfTheRegionBlendAndReadEachResultOnce() {
        let shapes = [(170, 130, 1, 16), (150, 110, 0, 16), (200, 50, 1, 8), (96, 250, 0, 16), (150, 110, 1, 0)]
        for (width, height, round, overlap) in shapes {
            let grid = grid(width: width, height: height, round: round, overlap: overlap)
            var random = SeededRandom(seed: UInt64(width * height + round))
            let results = grid.tiles.map {
                random.tensor(Shape(channels: 3, height: $0.result.height, width: $0.result.width), in: 0...1)
            }
            let blender = TileBlender(grid: grid)
            let reference = MemoryCanvas(channels: 3, width: width, height: height)
            blender.blend(into: reference) { results[$0.index] }
            let canvas = MemoryCanvas(channels: 3, width: width, height: height)
            var asked: [Int] = []
            blender.blendRows(into: canvas) { tile in
                asked.append(tile.index)
                return results[tile.index]
            }
            let shape = "\(width)x\(height) round \(round) overlap \(overlap)"
            XCTAssertEqual(asked, Array(0..<grid.count), "each result once, in tile order: \(shape)")
            XCTAssertEqual(canvas.tensor.array.map(\.bitPattern), reference.tensor.array.map(\.bitPattern), shape)
        }
    }
}
