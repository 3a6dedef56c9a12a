import ImageIO
import XCTest

final class PixelRectTests: XCTestCase {
    func testIntersectionAndContainment() {
        let a = PixelRect(x: 0, y: 0, width: 10, height: 10)
        let b = PixelRect(x: 5, y: 8, width: 10, height: 10)
        XCTAssertEqual(a.intersection(b), PixelRect(x: 5, y: 8, width: 5, height: 2))
        XCTAssertTrue(a.intersection(PixelRect(x: 20, y: 0, width: 1, height: 1)).isEmpty)
        XCTAssertTrue(a.contains(PixelRect(x: 9, y: 9, width: 1, height: 1)))
        XCTAssertFalse(a.contains(PixelRect(x: 9, y: 9, width: 2, height: 1)))
        XCTAssertEqual(a.expanded(by: 2), PixelRect(x: -2, y: -2, width: 14, height: 14))
    }

    func testTilesCoverTheRectangleExactlyOnce() {
        let rect = PixelRect(x: 3, y: 1, width: 70, height: 33)
        let grid = rect.tiles(width: 32, height: 16)
        XCTAssertEqual(grid.columns, 3)
        XCTAssertEqual(grid.rows, 3)
        let cells = Array(grid)
        XCTAssertEqual(cells.count, 9)
        XCTAssertEqual(cells.map(\.pixelCount).reduce(0, +), rect.pixelCount)
        XCTAssertEqual(cells.last, PixelRect(x: 67, y: 33, width: 6, height: 1))
        XCTAssertTrue(cells.allSatisfy { rect.contains($0) })
    }

    func testAHugeGridIsLazy() {
        let grid = PixelRect(width: 1 << 31, height: 1 << 31).tiles(width: 16, height: 16)
        XCTAssertEqual(grid.columns, 1 << 27)
        XCTAssertEqual(grid.first { _ in true }, PixelRect(x: 0, y: 0, width: 16, height: 16))
    }
}
