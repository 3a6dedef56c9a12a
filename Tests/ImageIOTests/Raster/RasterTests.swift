import ImageIO
import XCTest

final class RasterTests: XCTestCase {
    func testEightBitInterleavedRoundTripsExactly() {
        let values = (0..<(5 * 3 * 4)).map { UInt8(($0 * 37) % 256) }
        let raster = Raster(interleaved8: values, width: 5, height: 3, layout: .rgba)
        XCTAssertEqual(raster.interleaved8(), values)
        // Planar: channel 1 of pixel (2, 1) is interleaved sample ((1 * 5 + 2) * 4 + 1).
        XCTAssertEqual(raster[2, 1, 1], Float(values[(1 * 5 + 2) * 4 + 1]) / 255, accuracy: 1e-7)
    }

    func testEverySixteenBitValueKeepsItsPrecision() {
        let values = (0..<65536).map { UInt16($0) }
        let raster = Raster(interleaved16: values, width: 256, height: 256, layout: .gray)
        XCTAssertEqual(raster.bitDepth, .sixteen)
        XCTAssertEqual(raster.interleaved16(), values)
    }

    func testEightToSixteenBitScalesByTwoHundredFiftySeven() {
        let raster = Raster(interleaved8: [0, 1, 128, 255], width: 4, height: 1, layout: .gray)
        XCTAssertEqual(raster.interleaved16(), [0, 257, 128 * 257, 65535])
    }

    func testOutOfRangeAndNaNValuesAreClampedWhenQuantised() {
        let raster = Raster(width: 3, height: 1, layout: .gray, samples: [-0.5, 2, .nan])
        XCTAssertEqual(raster.interleaved8(), [0, 255, 0])
    }

    func testCropAndPasteAreInverse() {
        let raster = patternRaster(width: 9, height: 7, layout: .rgb, bitDepth: .eight)
        let rect = PixelRect(x: 2, y: 3, width: 5, height: 4)
        let crop = raster.cropped(to: rect)
        XCTAssertEqual(crop[0, 0, 2], raster[2, 3, 2])
        XCTAssertEqual(crop[4, 3, 0], raster[6, 6, 0])
        var canvas = Raster(width: 9, height: 7, layout: .rgb)
        canvas.paste(crop, atX: 2, y: 3)
        XCTAssertEqual(canvas.cropped(to: rect), crop)
        XCTAssertEqual(canvas[1, 3, 0], 0)
    }

    func testPasteClipsAtTheEdges() {
        var canvas = Raster(width: 4, height: 4, layout: .gray)
        canvas.paste(Raster(width: 3, height: 3, layout: .gray, fill: 1), atX: -1, y: 2)
        XCTAssertEqual(canvas.samples.reduce(0, +), 4)  // 2 columns × 2 rows landed
        XCTAssertEqual(canvas[0, 3, 0], 1)
        XCTAssertEqual(canvas[2, 3, 0], 0)
    }

    func testStylisedColourKeepsTheAlphaUntouched() {
        let original = patternRaster(width: 6, height: 5, layout: .rgba, bitDepth: .sixteen)
        let colour = original.colour()
        XCTAssertEqual(colour.layout, .rgb)
        let stylised = Raster(
            width: 6, height: 5, layout: .rgb, bitDepth: .sixteen, samples: colour.samples.map { 1 - $0 })
        let result = original.replacingColour(with: stylised)
        XCTAssertEqual(result.layout, .rgba)
        XCTAssertEqual(result.alpha(), original.alpha())
        XCTAssertEqual(result.colour(), stylised)
        XCTAssertEqual(result.bitDepth, .sixteen)
    }
}
