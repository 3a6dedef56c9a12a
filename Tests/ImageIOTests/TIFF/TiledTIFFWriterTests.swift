import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

final class TiledTIFFWriterTests: XCTestCase {
    /// Writes `raster` tile by tile in a shuffled (fixed-seed) order.
    private func writeShuffled(_ raster: Raster, to path: String, tileSize: Int = 32, pyramidLevels: Int = 0) throws {
        let options = TiledTIFFWriter.Options(tileSize: tileSize, pyramidLevels: pyramidLevels)
        try TiledTIFFWriter.write(
            to: path, width: raster.width, height: raster.height, layout: raster.layout, bitDepth: raster.bitDepth,
            options: options
        ) { writer in
            var order = (0..<writer.tileRows).flatMap { row in (0..<writer.tileColumns).map { (column: $0, row: row) } }
            var generator = SplitMix64(seed: 11)
            order.shuffle(using: &generator)
            for tile in order {
                try writer.write(
                    raster.cropped(to: writer.tileRect(column: tile.column, row: tile.row)), column: tile.column,
                    row: tile.row)
            }
        }
    }

    func testTilesInAnyOrderAreReadBackExactlyByTifffileTiffcpAndAtelier() throws {
        let folder = try TemporaryDirectory()
        for layout in ChannelLayout.allCases {
            for depth in BitDepth.allCases {
                let name = "\(layout.channelCount)-\(depth.rawValue)"
                let raster = patternRaster(width: 100, height: 70, layout: layout, bitDepth: depth)
                let path = folder.path("\(name).tif")
                try writeShuffled(raster, to: path)
                XCTAssertEqual(try TIFFReader(path: path).readAll(), raster, name)
                assertPixels(raster, equal: try ReferenceImages.readWithTifffile(path), name)
                // libtiff's own tiffcp decodes every tile to re-encode them as strips.
                let copy = folder.path("\(name)-copy.tif")
                try ReferenceTool.run("/usr/bin/tiffcp", ["-s", "-c", "none", path, copy])
                XCTAssertEqual(try TIFFReader(path: copy).readAll(), raster, name)
            }
        }
    }

    func testTiffinfoAndTiffdumpSeeTheTilesTheBigTIFFHeaderAndThePyramid() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("pyramid.tif")
        try writeShuffled(
            patternRaster(width: 150, height: 90, layout: .rgb, bitDepth: .eight), to: path, pyramidLevels: 3)
        let dump = try ReferenceTool.run("/usr/bin/tiffdump", [path])
        XCTAssertTrue(dump.contains("<BigTIFF>"), dump)
        XCTAssertTrue(dump.contains("TileWidth (322)"), dump)
        XCTAssertTrue(dump.contains("SubIFD (330) IFD8 (18) 3<"), dump)
        let info = try ReferenceTool.run("/usr/bin/tiffinfo", [path])
        XCTAssertTrue(info.contains("Tile Width: 32 Tile Length: 32"), info)
        XCTAssertTrue(info.contains("Compression Scheme: AdobeDeflate"), info)
        XCTAssertEqual(info.components(separatedBy: "reduced-resolution image").count - 1, 3, info)
        XCTAssertTrue(info.contains("Image Width: 19 Image Length: 12"), info)  // 150x90 → 75x45 → 38x23 → 19x12
        let levels = try ReferenceTool.python(
            "import sys, tifffile; print([s.shape for s in tifffile.TiffFile(sys.argv[1]).series[0].levels])", [path])
        XCTAssertEqual(
            levels.trimmingCharacters(in: .whitespacesAndNewlines),
            "[(90, 150, 3), (45, 75, 3), (23, 38, 3), (12, 19, 3)]")
        XCTAssertEqual(try TIFFReader(path: path).info.pyramid.count, 4)
    }

    func testPyramidLevelsAreAreaDownsamplesOfTheLevelAbove() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("levels.tif")
        let raster = patternRaster(width: 97, height: 66, layout: .grayAlpha, bitDepth: .sixteen)
        try writeShuffled(raster, to: path, tileSize: 16, pyramidLevels: 2)
        let half = AreaDownsampling.halved(raster)
        let quarter = AreaDownsampling.halved(half)
        assertPixels(half, equal: try ReferenceImages.readWithTifffile(path, level: 1), "level 1")
        assertPixels(quarter, equal: try ReferenceImages.readWithTifffile(path, level: 2), "level 2")
        XCTAssertEqual(try TIFFReader(path: path, level: 2).readAll().interleaved16(), quarter.interleaved16())
        // No scratch files are left beside the output.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), ["levels.tif"])
    }

    func testMisuseIsReportedAndAFailedWriteLeavesNoFiles() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("misuse.tif")
        let writer = try TiledTIFFWriter(
            path: path, width: 40, height: 40, layout: .gray, bitDepth: .eight,
            options: TiledTIFFWriter.Options(tileSize: 32, pyramidLevels: 1))
        let corner = Raster(width: 32, height: 32, layout: .gray)
        try writer.write(corner, column: 0, row: 0)
        XCTAssertThrowsError(try writer.write(corner, column: 0, row: 0)) {
            XCTAssertTrue("\($0)".contains("written twice"))
        }
        XCTAssertThrowsError(try writer.write(corner, column: 1, row: 0)) {
            XCTAssertTrue("\($0)".contains("must be 8x32"))
        }
        XCTAssertThrowsError(try writer.write(corner, column: 2, row: 0)) { XCTAssertTrue("\($0)".contains("off the")) }
        XCTAssertThrowsError(try writer.close()) { error in
            XCTAssertEqual(error as? ImageIOError, .encode(path: path, reason: "3 of 4 tiles were never written"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), [])

        struct Stop: Error {}
        XCTAssertThrowsError(
            try TiledTIFFWriter.write(to: path, width: 40, height: 40, layout: .rgb, bitDepth: .eight) { _ in
                throw Stop()
            })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.url.path), [])
        XCTAssertThrowsError(
            try TiledTIFFWriter(
                path: path, width: 40, height: 40, layout: .rgb, bitDepth: .eight,
                options: TiledTIFFWriter.Options(tileSize: 40)))
    }
}
