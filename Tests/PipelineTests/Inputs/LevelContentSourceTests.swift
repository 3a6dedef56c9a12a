import Foundation
import ImageIO
import Semantics
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

final class LevelContentSourceTests: XCTestCase {
    /// Source files of one random 97×61 image: 8-bit PNG, 16-bit PNG, 8-bit tiled BigTIFF (ours),
    /// 16-bit striped TIFF (tifffile, an independent writer).
    private func sources(in folder: TemporaryDirectory) throws -> [String] {
        var random = SeededRandom(seed: 8)
        let samples = (0..<3 * 97 * 61).map { _ in Float(Int.random(in: 0...65535, using: &random)) / 65535 }
        let raster16 = Raster(width: 97, height: 61, layout: .rgb, bitDepth: .sixteen, samples: samples)
        var raster8 = raster16
        raster8.bitDepth = .eight
        let png8 = folder.path("content8.png"), png16 = folder.path("content16.png")
        try PNGFile.write(raster8, to: png8)
        try PNGFile.write(raster16, to: png16)
        let tiled = folder.path("tiled8.tif")
        try TiledTIFFWriter.write(
            to: tiled, width: 97, height: 61, layout: .rgb, bitDepth: .eight, options: .init(tileSize: 16)
        ) { writer in
            for row in 0..<writer.tileRows {
                for column in 0..<writer.tileColumns {
                    try writer.write(raster8.cropped(to: writer.tileRect(column: column, row: row)),
                                     column: column, row: row)
                }
            }
        }
        let striped = folder.path("striped16.tif")
        try ReferenceTool.run(ReferenceTool.python, [
            "-c",
            "import sys, numpy, tifffile; rng = numpy.random.default_rng(3);"
                + "a = rng.integers(0, 65536, (61, 97, 3), dtype=numpy.uint16);"
                + "tifffile.imwrite(sys.argv[1], a, photometric='rgb', rowsperstrip=7)",
            striped,
        ])
        XCTAssertEqual(try ImageFile.open(striped).info.bitDepth, .sixteen)
        return [png8, png16, tiled, striped]
    }

    /// Rectangles of levels that shrink by non-integer factors, halve, enlarge, keep the size and
    /// mix (one side grows): each equals the same crop of `MultiScaleStylizer.resized` of the whole
    /// image, bit for bit, with chunks forced small so that a rectangle is assembled from many.
    func testRectanglesEqualTheWholeLevelResizeBitForBit() throws {
        let folder = try TemporaryDirectory()
        let levels = [(40, 25), (48, 30), (13, 9), (150, 95), (97, 61), (120, 50)]
        var random = SeededRandom(seed: 5)
        for path in try sources(in: folder) {
            let source = try ImageFile.open(path)
            let whole = try source.readAll().rgbTensor()
            for (width, height) in levels {
                let reference = MultiScaleStylizer.resized(whole, width: width, height: height)
                let level = LevelContentSource(source: source, width: width, height: height)
                level.resampling.inputBudget = 50
                var rects = [PixelRect(width: width, height: height)]
                for _ in 0..<4 {
                    let w = Int.random(in: 1...width, using: &random), h = Int.random(in: 1...height, using: &random)
                    rects.append(PixelRect(x: Int.random(in: 0...width - w, using: &random),
                                           y: Int.random(in: 0...height - h, using: &random), width: w, height: h))
                }
                for rect in rects {
                    XCTAssertEqual(try level.read(rect).array, reference.cropped(to: rect).array,
                                   "\(path) level \(width)x\(height) rect \(rect)")
                }
            }
        }
    }

    /// A level materialised into a canvas file holds the whole-level resize, and the bit depth of
    /// the file is reported for the output.
    func testMaterialisedCanvasHoldsTheLevel() throws {
        let folder = try TemporaryDirectory()
        let path = try sources(in: folder)[1]
        let source = try ImageFile.open(path)
        let level = LevelContentSource(source: source, width: 70, height: 44)
        XCTAssertEqual(level.bitDepth, .sixteen)
        let canvas = try CanvasFile.create(
            at: folder.path("level.canvas"), channels: 3, width: 70, height: 44, precision: .float32)
        try level.materialise(into: canvas, tileSize: 16)
        let stored = Tensor(channels: 3, height: 44, width: 70)
        canvas.read(PixelRect(width: 70, height: 44), into: stored)
        try canvas.close()
        let reference = MultiScaleStylizer.resized(try source.readAll().rgbTensor(), width: 70, height: 44)
        XCTAssertEqual(stored.array, reference.array)
    }

    /// A truncated TIFF fails the read with a one-line error naming the file, not a crash.
    func testDamagedFileGivesAClearError() throws {
        let folder = try TemporaryDirectory()
        let path = try sources(in: folder)[2]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let damaged = folder.path("damaged.tif")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: damaged))
        XCTAssertThrowsError(try {
            let level = LevelContentSource(source: try ImageFile.open(damaged), width: 40, height: 25)
            _ = try level.read(PixelRect(width: 40, height: 25))
        }()) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains(damaged), text)
            XCTAssertFalse(text.contains("\n"), text)
        }
        XCTAssertThrowsError(try ImageFile.open(folder.path("missing.tif"))) { error in
            XCTAssertTrue(String(describing: error).contains("missing.tif"))
        }
    }
}
