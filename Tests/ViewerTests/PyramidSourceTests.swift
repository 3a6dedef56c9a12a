import ImageIO
import TestSupport
import XCTest

@testable import Viewer

final class PyramidSourceTests: XCTestCase {
    /// Each Deep Zoom level is made from the stored level nearest it on the finer side.
    func testEachLevelIsMadeFromTheNearestFinerStoredLevel() throws {
        let source = try PyramidSource(path: ViewerFixtures.pyramid)
        XCTAssertEqual(source.layout.maxLevel, 11)
        XCTAssertEqual(source.levels.map(\.factor), [1, 2, 4, 8])
        let plans = (0...11).map { level -> [Int] in
            let plan = source.plan(for: level)
            return [plan.stored.index, plan.factor]
        }
        XCTAssertEqual(plans[11], [0, 1])
        XCTAssertEqual(plans[10], [1, 1])
        XCTAssertEqual(plans[8], [3, 1])
        XCTAssertEqual(plans[7], [3, 2])
        XCTAssertEqual(plans[0], [3, 256])
    }

    /// A level stored in the file is served exactly as the project's reader reads it.
    func testStoredLevelsAreCopiedExactly() throws {
        let source = try PyramidSource(path: ViewerFixtures.pyramid)
        for (level, stored, column, row) in [(11, 0, 2, 3), (10, 1, 1, 1), (9, 2, 1, 0), (8, 3, 1, 0)] {
            let rect = try XCTUnwrap(source.layout.tileRect(level: level, column: column, row: row))
            let expected = try TIFFReader(path: ViewerFixtures.pyramid, level: stored).read(region: rect)
            let served = try source.read(region: rect, level: level)
            XCTAssertEqual(served.interleaved8(), expected.interleaved8(), "level \(level)")
        }
    }

    /// Levels coarser than the coarsest stored one are its box average, against a Float64 loop,
    /// whether a request is read in one block or many.
    func testCoarserLevelsAreBoxAveragesInAnyBlockSize() throws {
        let whole = try PyramidSource(path: ViewerFixtures.pyramid)
        let blocks = try PyramidSource(path: ViewerFixtures.pyramid, blockPixels: 40 * 40)
        let coarsest = try TIFFReader(path: ViewerFixtures.pyramid, level: 3).readAll()
        for level in [7, 6, 3, 0] {
            let factor = 1 << (8 - level)
            let size = whole.layout.size(of: level)
            let rect = PixelRect(width: size.width, height: size.height)
            let expected = ViewerFixtures.boxAverage(coarsest, factor: factor)
            XCTAssertLessThanOrEqual(
                ViewerFixtures.largestDifference(try whole.read(region: rect, level: level).interleaved8(), expected),
                1, "level \(level)")
            XCTAssertEqual(
                try blocks.read(region: rect, level: level).interleaved8(),
                try whole.read(region: rect, level: level).interleaved8(), "level \(level)")
        }
        // An inner rectangle of an inner level, cut into 40-pixel blocks (5 source pixels each).
        let rect = PixelRect(x: 17, y: 9, width: 60, height: 45)
        let expected = ViewerFixtures.boxAverage(
            coarsest.cropped(to: PixelRect(x: 34, y: 18, width: 120, height: 90)), factor: 2)
        XCTAssertLessThanOrEqual(
            ViewerFixtures.largestDifference(try blocks.read(region: rect, level: 7).interleaved8(), expected), 1)
    }

    /// A file without a pyramid (a PNG) is still served at every level, from its full size.
    func testAFileWithoutPyramidIsDownsampledFromItsFullSize() throws {
        let path = ViewerFixtures.gallery("chelsea.png")
        let source = try PyramidSource(path: path, blockPixels: 64 * 64)
        XCTAssertEqual(source.levels.count, 1)
        let full = try ImageFile.open(path).readAll()
        let level = source.layout.maxLevel - 2
        let size = source.layout.size(of: level)
        let pixels = try source.read(region: PixelRect(width: size.width, height: size.height), level: level)
        XCTAssertLessThanOrEqual(
            ViewerFixtures.largestDifference(pixels.interleaved8(), ViewerFixtures.boxAverage(full, factor: 4)), 1)
    }

    func testAMissingFileIsAnErrorNamingIt() {
        XCTAssertThrowsError(try PyramidSource(path: "/nonexistent/out.tif")) { error in
            XCTAssertTrue(String(describing: error).contains("/nonexistent/out.tif"), "\(error)")
        }
    }
}
