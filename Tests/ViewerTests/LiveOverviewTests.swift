import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Viewer

/// The live view's small image of a level against a naive Float64 block mean.
final class LiveOverviewTests: XCTestCase {
    func testTheFactorBringsTheLongSideUnderTheLimit() {
        XCTAssertEqual(LiveOverview(levelWidth: 1000, levelHeight: 10, maximumSide: 1024).factor, 1)
        let large = LiveOverview(levelWidth: 32768, levelHeight: 20000, maximumSide: 1024)
        XCTAssertEqual(large.factor, 32)
        XCTAssertEqual([large.raster.width, large.raster.height], [1024, 625])
        XCTAssertEqual(LiveOverview(levelWidth: 1025, levelHeight: 7, maximumSide: 1024).raster.width, 513)
    }

    func testPaintingARectangleAveragesItsBlocks() {
        var random = SeededRandom(seed: 3)
        var overview = LiveOverview(levelWidth: 103, levelHeight: 61, maximumSide: 30)
        XCTAssertEqual(overview.factor, 4)
        // A rectangle that starts and ends inside blocks, and reaches the level's ragged edge.
        let rect = PixelRect(x: 37, y: 21, width: 66, height: 40)
        let pixels = random.tensor(Shape(channels: 3, height: rect.height, width: rect.width), in: 0...1)
        let before = overview.raster
        overview.paint(pixels, at: rect)
        for blockY in 0..<overview.raster.height {
            for blockX in 0..<overview.raster.width {
                for channel in 0..<3 {
                    var sum = 0.0
                    var count = 0
                    for y in (blockY * 4)..<(blockY * 4 + 4) where y >= rect.y && y < rect.y + rect.height {
                        for x in (blockX * 4)..<(blockX * 4 + 4) where x >= rect.x && x < rect.x + rect.width {
                            sum += Double(pixels[channel, y - rect.y, x - rect.x])
                            count += 1
                        }
                    }
                    let expected = count == 0
                        ? before[blockX, blockY, channel]
                        : Float((sum / Double(count) * 255).rounded()) / 255
                    XCTAssertEqual(
                        overview.raster[blockX, blockY, channel], expected, accuracy: 1e-6,
                        "block (\(blockX), \(blockY)) channel \(channel)")
                }
            }
        }
    }

    func testANewLevelStartsFromTheOneBelowStretched() {
        var coarse = LiveOverview(levelWidth: 4, levelHeight: 2, maximumSide: 64)
        let pixels = Tensor(channels: 3, height: 2, width: 4)
        for x in 0..<4 { pixels[0, 0, x] = Float(x) / 4 }
        coarse.paint(pixels, at: PixelRect(width: 4, height: 2))
        let fine = LiveOverview(levelWidth: 8, levelHeight: 4, maximumSide: 64, startingFrom: coarse)
        XCTAssertEqual(fine.raster[5, 0, 0], coarse.raster[2, 0, 0])
        XCTAssertEqual(fine.raster[7, 3, 0], coarse.raster[3, 1, 0])
    }
}
