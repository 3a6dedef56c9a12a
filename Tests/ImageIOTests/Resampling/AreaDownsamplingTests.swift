import ImageIO
import TestSupport
import XCTest

final class AreaDownsamplingTests: XCTestCase {
    func testBlocksAreAveragedAndEdgeBlocksUseThePixelsTheyHave() {
        // 3x3 → 2x2: the right column and bottom row are blocks of 2 and 1 pixels.
        let raster = Raster(width: 3, height: 3, layout: .gray, samples: [0, 0.2, 0.9, 0.4, 0.2, 0.3, 0.6, 1, 0.5])
        let result = AreaDownsampling.downsample(raster, factor: 2)
        XCTAssertEqual(result.width, 2)
        XCTAssertEqual(result.height, 2)
        XCTAssertEqual(result.samples[0], 0.2, accuracy: 1e-6)  // (0 + 0.2 + 0.4 + 0.2) / 4
        XCTAssertEqual(result.samples[1], 0.6, accuracy: 1e-6)  // (0.9 + 0.3) / 2
        XCTAssertEqual(result.samples[2], 0.8, accuracy: 1e-6)  // (0.6 + 1) / 2
        XCTAssertEqual(result.samples[3], 0.5, accuracy: 1e-6)
    }

    func testStreamingEqualsDownsamplingTheWholeImage() throws {
        let folder = try TemporaryDirectory()
        let (source, raster) = try patternPNGSource(in: folder, width: 101, height: 77, layout: .rgba)
        for factor in [2, 3, 8] {
            let whole = AreaDownsampling.downsample(raster, factor: factor)
            var assembled = Raster(width: whole.width, height: whole.height, layout: .rgba)
            var tiles = 0
            try AreaDownsampling.stream(source, factor: factor, tileSize: 16) { tile, rect in
                XCTAssertEqual(tile.width, rect.width)
                assembled.paste(tile, atX: rect.x, y: rect.y)
                tiles += 1
            }
            XCTAssertEqual(assembled, whole, "factor \(factor)")
            XCTAssertEqual(
                tiles,
                whole.bounds.tiles(width: 16, height: 16).columns * whole.bounds.tiles(width: 16, height: 16).rows)
        }
    }

    func testStreamingIntoATiledWriterBuildsALevelOfAnotherFile() throws {
        let folder = try TemporaryDirectory()
        let sourcePath = folder.path("source.tif")
        let raster = patternRaster(width: 90, height: 64, layout: .rgb, bitDepth: .sixteen)
        try TiledTIFFWriter.write(
            to: sourcePath, width: 90, height: 64, layout: .rgb, bitDepth: .sixteen,
            options: TiledTIFFWriter.Options(tileSize: 16)
        ) { writer in
            for tile in raster.bounds.tiles(width: 16, height: 16) {
                try writer.write(raster.cropped(to: tile), column: tile.x / 16, row: tile.y / 16)
            }
        }
        let source = try TIFFReader(path: sourcePath)
        let outPath = folder.path("half.tif")
        try TiledTIFFWriter.write(
            to: outPath, width: 45, height: 32, layout: .rgb, bitDepth: .sixteen,
            options: TiledTIFFWriter.Options(tileSize: 16)
        ) { writer in
            try AreaDownsampling.stream(source, factor: 2, tileSize: 16) { tile, rect in
                try writer.write(tile, column: rect.x / 16, row: rect.y / 16)
            }
        }
        XCTAssertEqual(
            try TIFFReader(path: outPath).readAll().interleaved16(), AreaDownsampling.halved(raster).interleaved16())
    }
}
