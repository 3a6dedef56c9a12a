import ImageIO
import TestSupport
import XCTest

final class PNGFileTests: XCTestCase {
    func testReadsEveryColourTypeAndDepthFromAnIndependentEncoder() throws {
        let folder = try TemporaryDirectory()
        for channels in 1...4 {
            for bits in [8, 16] {
                for interlaced in [false, true] {
                    let path = folder.path("c\(channels)-b\(bits)-i\(interlaced).png")
                    let expected = try ReferenceImages.png(
                        path, width: 37, height: 21, channels: channels, bits: bits, seed: channels * 10 + bits,
                        interlaced: interlaced)
                    let raster = try PNGFile.read(path: path)
                    assertPixels(raster, equal: expected, path)
                    XCTAssertEqual(try PNGReader(path: path).info.interlaced, interlaced)
                }
            }
        }
    }

    func testPaletteImagesAreExpandedWithTheirTransparency() throws {
        let folder = try TemporaryDirectory()
        for transparent in [false, true] {
            let path = folder.path("palette-\(transparent).png")
            let expected = try ReferenceImages.palettePNG(path, width: 19, height: 11, transparent: transparent)
            let raster = try PNGFile.read(path: path)
            XCTAssertEqual(raster.layout, transparent ? .rgba : .rgb)
            assertPixels(raster, equal: expected, path)
        }
    }

    func testWrittenFilesAreReadBackExactlyByPillowAndByLibpng() throws {
        let folder = try TemporaryDirectory()
        for layout in ChannelLayout.allCases {
            for depth in BitDepth.allCases {
                let raster = patternRaster(width: 23, height: 17, layout: layout, bitDepth: depth)
                let path = folder.path("\(layout.channelCount)-\(depth.rawValue).png")
                try PNGFile.write(raster, to: path)
                XCTAssertEqual(try PNGFile.read(path: path), raster, path)
                if depth == .eight {  // Pillow's PNG modes are 8-bit for colour
                    let pillow = try ReferenceImages.readWithPillow(path)
                    XCTAssertEqual(pillow.samples8, raster.interleaved8(), path)
                }
            }
        }
    }

    func testSharedPhotoDecodes() throws {
        let path = Fixtures.samples.appendingPathComponent("content/astronaut.png").path
        let raster = try PNGFile.read(path: path)
        XCTAssertEqual(raster.width, 512)
        XCTAssertEqual(raster.layout, .rgb)
        let pillow = try ReferenceImages.readWithPillow(path)
        XCTAssertTrue(pillow.samples8 == raster.interleaved8())
    }

    func testATruncatedFileIsADecodeErrorNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("whole.png")
        try PNGFile.write(patternRaster(width: 64, height: 64, layout: .rgb, bitDepth: .eight), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let truncated = folder.path("truncated.png")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        XCTAssertThrowsError(try PNGFile.read(path: truncated)) { error in
            guard case .decode(let errorPath, let reason) = error as? ImageIOError else { return XCTFail("\(error)") }
            XCTAssertEqual(errorPath, truncated)
            XCTAssertEqual(reason, "unexpected end of file (truncated)")
        }
    }

    func testAHeaderAboveThePixelLimitIsRefusedBeforeDecoding() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("big.png")
        try PNGFile.write(patternRaster(width: 40, height: 30, layout: .gray, bitDepth: .eight), to: path)
        let limits = ImageLimits(maxInMemoryPixels: 1000)
        XCTAssertThrowsError(try PNGFile.read(path: path, limits: limits)) { error in
            XCTAssertEqual(error as? ImageIOError, .tooLarge(path: path, width: 40, height: 30, limit: 1000))
            XCTAssertTrue("\(error)".contains("tiled TIFF"), "\(error)")
        }
        XCTAssertNoThrow(try PNGFile.read(path: path, limits: ImageLimits(maxInMemoryPixels: 1200)))
    }

    func testWritingToAMissingFolderIsAnEncodeError() {
        let path = "/nonexistent-atelier-folder/x.png"
        XCTAssertThrowsError(try PNGFile.write(Raster(width: 1, height: 1, layout: .gray), to: path)) { error in
            guard case .encode(let errorPath, _) = error as? ImageIOError else { return XCTFail("\(error)") }
            XCTAssertEqual(errorPath, path)
        }
    }
}
