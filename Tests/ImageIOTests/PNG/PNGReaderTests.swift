import Foundation
import ImageIO
import TestSupport
import XCTest

final class PNGReaderTests: XCTestCase {
    func testStorageCheckFindsATruncatedFileWithoutDecoding() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("whole.png")
        try PNGFile.write(patternRaster(width: 50, height: 40, layout: .rgb, bitDepth: .eight), to: path)
        XCTAssertNoThrow(try PNGReader(path: path).verifyStorage())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for (name, cut) in [("no-iend.png", 12), ("short-idat.png", 100)] {
            let truncated = folder.path(name)
            try bytes.prefix(bytes.count - cut).write(to: URL(fileURLWithPath: truncated))
            XCTAssertThrowsError(
                try PNGReader(path: truncated, limits: ImageLimits(maxInMemoryPixels: 1)).verifyStorage()
            ) {
                error in
                guard case .decode(_, let reason) = error as? ImageIOError else { return XCTFail("\(error)") }
                XCTAssertTrue(reason.hasSuffix("truncated?"), reason)
                XCTAssertTrue(reason.contains(cut == 12 ? "no IEND" : "IDAT chunk"), reason)
            }
        }
    }

    func testHeaderIsReadWithoutDecodingAndRegionsAreCrops() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("image.png")
        let raster = patternRaster(width: 30, height: 20, layout: .grayAlpha, bitDepth: .sixteen)
        try PNGFile.write(raster, to: path)
        let reader = try PNGReader(path: path, limits: ImageLimits(maxInMemoryPixels: 10))
        XCTAssertEqual(reader.info.format, .png)
        XCTAssertEqual(reader.info.layout, .grayAlpha)
        XCTAssertEqual(reader.info.bitDepth, .sixteen)
        XCTAssertEqual(reader.info.pyramid, [PixelSize(width: 30, height: 20)])
        // Opening needed only the header; the first read needs the whole image and is refused.
        XCTAssertThrowsError(try reader.read(region: PixelRect(width: 2, height: 2)))

        let unlimited = try PNGReader(path: path)
        let region = PixelRect(x: 25, y: 3, width: 5, height: 17)
        XCTAssertEqual(try unlimited.read(region: region), raster.cropped(to: region))
        XCTAssertThrowsError(try unlimited.read(region: PixelRect(x: 26, y: 0, width: 5, height: 1))) { error in
            guard case .invalidRequest = error as? ImageIOError else { return XCTFail("\(error)") }
        }
    }
}
