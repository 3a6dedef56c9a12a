import ImageIO
import XCTest

@testable import Viewer

final class DeepZoomLayoutTests: XCTestCase {
    /// Level sizes halve, rounding up, from ⌈log₂ 1000⌉ = 10 down to one pixel.
    func testLevelsHalveFromTheFullSizeToOnePixel() {
        let layout = DeepZoomLayout(width: 1000, height: 872)
        XCTAssertEqual(layout.maxLevel, 10)
        XCTAssertEqual(layout.size(of: 10), PixelSize(width: 1000, height: 872))
        XCTAssertEqual(layout.size(of: 9), PixelSize(width: 500, height: 436))
        XCTAssertEqual(layout.size(of: 8), PixelSize(width: 250, height: 218))
        XCTAssertEqual(layout.size(of: 1), PixelSize(width: 2, height: 2))
        XCTAssertEqual(layout.size(of: 0), PixelSize(width: 1, height: 1))
        XCTAssertEqual(DeepZoomLayout(width: 1024, height: 1).maxLevel, 10)
        XCTAssertEqual(DeepZoomLayout(width: 1025, height: 1).maxLevel, 11)
    }

    /// Inner tiles grow by the overlap on every side, edge tiles only inwards.
    func testTilesOverlapTheirNeighboursButNotTheEdges() {
        let layout = DeepZoomLayout(width: 1000, height: 872)
        XCTAssertEqual(layout.tileCounts(at: 10).columns, 4)
        XCTAssertEqual(layout.tileCounts(at: 10).rows, 4)
        XCTAssertEqual(layout.tileRect(level: 10, column: 0, row: 0), PixelRect(x: 0, y: 0, width: 255, height: 255))
        XCTAssertEqual(
            layout.tileRect(level: 10, column: 1, row: 2), PixelRect(x: 253, y: 507, width: 256, height: 256))
        XCTAssertEqual(
            layout.tileRect(level: 10, column: 3, row: 3), PixelRect(x: 761, y: 761, width: 239, height: 111))
        XCTAssertEqual(layout.tileRect(level: 0, column: 0, row: 0), PixelRect(x: 0, y: 0, width: 1, height: 1))
    }

    func testTilesOffTheGridOrLevelsOffThePyramidDoNotExist() {
        let layout = DeepZoomLayout(width: 1000, height: 872)
        XCTAssertNil(layout.tileRect(level: 11, column: 0, row: 0))
        XCTAssertNil(layout.tileRect(level: -1, column: 0, row: 0))
        XCTAssertNil(layout.tileRect(level: 10, column: 4, row: 0))
        XCTAssertNil(layout.tileRect(level: 10, column: 0, row: 4))
        XCTAssertNil(layout.tileRect(level: 0, column: 1, row: 0))
    }

    func testDescriptorIsDeepZoomXML() {
        let text = DeepZoomLayout(width: 1000, height: 872).descriptor(format: "png")
        XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Image "))
        XCTAssertTrue(text.contains("xmlns=\"http://schemas.microsoft.com/deepzoom/2008\""))
        XCTAssertTrue(text.contains("Format=\"png\" Overlap=\"1\" TileSize=\"254\""))
        XCTAssertTrue(text.contains("<Size Width=\"1000\" Height=\"872\"/></Image>"))
    }
}
