import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

/// The output format follows the extension; TIFF is written in strips unless tiled is asked for,
/// both read back exactly by ImageIO, by tifffile and by libtiff's `tiffinfo`.
final class ImageWriterTests: XCTestCase {
    func testFormatsFollowTheExtensionInAnyCase() {
        let names: [String: OutputFormat?] = [
            "a.png": .png, "b.JPG": .jpeg, "c.jpeg": .jpeg, "d.WebP": .webp, "e.tif": .tiff, "f.TIFF": .tiff,
            "g.bmp": nil, "noextension": nil, "dir.png/out": nil,
        ]
        for (name, format) in names { XCTAssertEqual(OutputFormat(path: name), format, name) }
        XCTAssertEqual(OutputFormat.extensionList, ".png, .jpg, .jpeg, .webp, .tif, .tiff")
    }

    func testTIFFIsPlainStripsUnlessTiledAndKeepsSixteenBits() throws {
        let folder = try TemporaryDirectory()
        let raster = patternRaster(width: 300, height: 70, layout: .rgba, bitDepth: .sixteen)
        let plain = folder.path("plain.tif")
        try ImageWriter.write(raster, to: plain, format: .tiff)
        let plainInfo = try ImageFile.open(plain).info
        XCTAssertEqual(plainInfo.format, .tiff)
        guard case .strips = plainInfo.tiling else { return XCTFail("\(plainInfo.tiling)") }
        XCTAssertEqual(plainInfo.pyramid.count, 1)
        XCTAssertEqual(try ImageFile.open(plain).readAll(), raster)
        XCTAssertTrue(try ReferenceImages.readWithTifffile(plain).samples16 == raster.interleaved16())
        let tiffinfo = try ReferenceTool.run("/usr/bin/tiffinfo", [plain])
        XCTAssertTrue(tiffinfo.contains("Rows/Strip"), tiffinfo)
        XCTAssertFalse(tiffinfo.contains("Tile Width"), tiffinfo)

        let tiled = folder.path("tiled.tif")
        try ImageWriter.write(raster, to: tiled, format: .tiff, options: .init(tiled: true))
        let tiledInfo = try ImageFile.open(tiled).info
        XCTAssertEqual(tiledInfo.format, .bigTIFF)
        XCTAssertEqual(tiledInfo.tiling, .tiles(width: ImageWriter.tileSize, height: ImageWriter.tileSize))
        XCTAssertEqual(tiledInfo.pyramid.count, 2)
        XCTAssertEqual(try ImageFile.open(tiled).readAll(), raster)

        let png = folder.path("out.png")
        try ImageWriter.write(raster, to: png, format: .png)
        XCTAssertEqual(try ImageFile.open(png).info.bitDepth, .sixteen)
    }

    func testLossyFormatsAreEightBitAndJPEGDropsAlpha() throws {
        let folder = try TemporaryDirectory()
        let raster = patternRaster(width: 30, height: 20, layout: .rgba, bitDepth: .sixteen)
        for (name, format, layout) in [("o.jpg", OutputFormat.jpeg, ChannelLayout.rgb), ("o.webp", .webp, .rgba)] {
            let path = folder.path(name)
            try ImageWriter.write(raster, to: path, format: format, options: .init(quality: 80))
            let info = try ImageFile.open(path).info
            XCTAssertEqual([info.bitDepth.rawValue, info.layout.channelCount], [8, layout.channelCount], name)
        }
    }
}
