import ImageIO
import TestSupport
import XCTest

final class PNGReaderTests: XCTestCase {
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
