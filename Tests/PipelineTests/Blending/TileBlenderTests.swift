import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

final class TileBlenderTests: XCTestCase {
    private func grid(width: Int = 150, height: Int = 110, round: Int = 1, overlap: Int = 16) -> TileGrid {
        var settings = TileSettings()
        settings.size = 48
        settings.overlap = overlap
        settings.halo = 40
        settings.rounds = 2
        return TileGrid(width: width, height: height, round: round, settings: settings, alignment: 8)
    }

    /// Random results for every tile of `grid`.
    private func results(_ grid: TileGrid, seed: UInt64) -> [Int: Tensor] {
        var random = SeededRandom(seed: seed)
        var results: [Int: Tensor] = [:]
        for tile in grid.tiles {
            results[tile.index] = random.tensor(Shape(channels: 3, height: tile.result.height, width: tile.result.width), in: 0...1)
        }
        return results
    }

    func testNeighboursWeightsSumToOneAcrossTheBandAndChangeSmoothly() {
        let grid = grid(round: 0)
        let blender = TileBlender(grid: grid)
        let left = grid.tile(0), right = grid.tile(1)
        let (leftColumns, _) = blender.weights(left), (rightColumns, _) = blender.weights(right)
        let band = right.result.x..<left.result.maxX
        XCTAssertEqual(band.count, 32, "the band is twice the overlap")
        for x in band {
            let sum = leftColumns[x - left.result.x] + rightColumns[x - right.result.x]
            XCTAssertEqual(sum, 1, accuracy: 1e-6, "x = \(x)")
        }
        // The raised cosine's slope is at most π / (2 · band): no step between neighbouring pixels.
        for weights in [leftColumns, rightColumns] {
            for (a, b) in zip(weights, weights.dropFirst()) {
                XCTAssertLessThanOrEqual(abs(a - b), Float.pi / 64 + 1e-6)
            }
            XCTAssertTrue(weights.allSatisfy { $0 > 0 && $0 <= 1 })
        }
        // 1 deep inside the core, never below 1/4 on it; no ramp on the level's edge.
        XCTAssertEqual(leftColumns[0], 1)
        for tile in grid.tiles {
            let (columns, rows) = blender.weights(tile)
            for x in tile.core.x..<tile.core.maxX { XCTAssertGreaterThanOrEqual(columns[x - tile.result.x], 0.25) }
            for y in tile.core.y..<tile.core.maxY { XCTAssertGreaterThanOrEqual(rows[y - tile.result.y], 0.25) }
        }
    }

    func testAConstantImageBlendsToItselfExactly() {
        let grid = grid()
        let values: [Float] = [0.3, 0.7, 0.123_456_7]
        let canvas = MemoryCanvas(channels: 3, width: grid.width, height: grid.height)
        TileBlender(grid: grid).blend(into: canvas) { tile in
            let tensor = Tensor(channels: 3, height: tile.result.height, width: tile.result.width)
            for c in 0..<3 { for i in 0..<tile.result.pixelCount { tensor[flat: c * tile.result.pixelCount + i] = values[c] } }
            return tensor
        }
        let plane = grid.width * grid.height
        for c in 0..<3 {
            XCTAssertTrue((0..<plane).allSatisfy { canvas.tensor[flat: c * plane + $0] == values[c] }, "channel \(c)")
        }
    }

    func testTheBlendIsTheWeightedMeanOfTheResultsCoveringEachPixel() {
        let grid = grid()
        let blender = TileBlender(grid: grid)
        let results = results(grid, seed: 9)
        let canvas = MemoryCanvas(channels: 3, width: grid.width, height: grid.height)
        blender.blend(into: canvas) { results[$0.index]! }
        // Reference: Σ w·p / Σ w in Double, pixel by pixel.
        var worst = 0.0
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                var sums = [0.0, 0.0, 0.0], total = 0.0
                for tile in grid.tiles where tile.result.contains(PixelRect(x: x, y: y, width: 1, height: 1)) {
                    let (columns, rows) = blender.weights(tile)
                    let weight = Double(columns[x - tile.result.x]) * Double(rows[y - tile.result.y])
                    total += weight
                    for c in 0..<3 { sums[c] += weight * Double(results[tile.index]![c, y - tile.result.y, x - tile.result.x]) }
                }
                for c in 0..<3 { worst = max(worst, abs(sums[c] / total - Double(canvas.tensor[c, y, x]))) }
            }
        }
        XCTAssertLessThan(worst, 1e-5)
    }

    /// The central invariant: whatever order results arrive in, and whatever regions the blend is
    /// done by, the canvas bytes are the same.
    func testBlendedBytesDoNotDependOnArrivalOrderOrRegions() {
        let grid = grid(width: 170, height: 130)
        let blender = TileBlender(grid: grid)
        let results = results(grid, seed: 11)
        let reference = MemoryCanvas(channels: 3, width: grid.width, height: grid.height)
        blender.blend(into: reference) { results[$0.index]! }
        var random = SeededRandom(seed: 4)
        for _ in 0..<3 {
            // Results stored as they "arrive", shuffled; regions blended in shuffled order.
            var arrived: [Int: Tensor] = [:]
            for index in results.keys.shuffled(using: &random) { arrived[index] = results[index]!.clone() }
            let canvas = MemoryCanvas(channels: 3, width: grid.width, height: grid.height)
            let regions = PixelRect(width: grid.width, height: grid.height).tiles(width: 37, height: 29)
            for region in Array(regions).shuffled(using: &random) {
                blender.blend(region: region, into: canvas) { arrived[$0.index]! }
            }
            XCTAssertEqual(canvas.tensor.array.map(\.bitPattern), reference.tensor.array.map(\.bitPattern))
        }
    }

    func testWithoutOverlapEachCoreKeepsItsOwnResult() {
        let grid = grid(overlap: 0)
        let results = results(grid, seed: 2)
        let canvas = MemoryCanvas(channels: 3, width: grid.width, height: grid.height)
        TileBlender(grid: grid).blend(into: canvas) { results[$0.index]! }
        for tile in grid.tiles {
            XCTAssertEqual(canvas.read(tile.core).array, results[tile.index]!.array)
        }
    }

    /// The row-by-row blend (`blendRows`): the bytes of the region blend, each result asked for
    /// once, in tile order, on grids of every shape a round makes (shifted, uneven, one tile row,
    /// no overlap).
    func testRowsGiveTheBytesOfTheRegionBlendAndReadEachResultOnce() {
        let shapes = [(170, 130, 1, 16), (150, 110, 0, 16), (200, 50, 1, 8), (96, 250, 0, 16), (150, 110, 1, 0)]
        for (width, height, round, overlap) in shapes {
            let grid = grid(width: width, height: height, round: round, overlap: overlap)
            let results = results(grid, seed: UInt64(width * height + round))
            let blender = TileBlender(grid: grid)
            let reference = MemoryCanvas(channels: 3, width: width, height: height)
            blender.blend(into: reference) { results[$0.index]! }
            let canvas = MemoryCanvas(channels: 3, width: width, height: height)
            var asked: [Int] = []
            blender.blendRows(into: canvas) { tile in
                asked.append(tile.index)
                return results[tile.index]!
            }
            let shape = "\(width)x\(height) round \(round) overlap \(overlap)"
            XCTAssertEqual(asked, Array(0..<grid.count), "each result once, in tile order: \(shape)")
            XCTAssertEqual(canvas.tensor.array.map(\.bitPattern), reference.tensor.array.map(\.bitPattern), shape)
        }
    }
}
