import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

final class LevelOutputWriterTests: XCTestCase {
    /// A 300×200 canvas of random values, a little outside 0…1 too (the writer clamps).
    private func canvas(in folder: TemporaryDirectory) throws -> (CanvasFile, Tensor) {
        var random = SeededRandom(seed: 4)
        let pixels = random.tensor(Shape(channels: 3, height: 200, width: 300), in: -0.05...1.05)
        let canvas = try CanvasFile.create(
            at: folder.path("final.canvas"), channels: 3, width: 300, height: 200, precision: .float32)
        canvas.write(pixels, at: PixelRect(width: 300, height: 200))
        return (canvas, pixels)
    }

    /// The canvas's samples quantised as the writer must (clamped, rounded), interleaved.
    private func expected(_ pixels: Tensor, maxValue: Float) -> [Int] {
        var samples: [Int] = []
        for y in 0..<pixels.height {
            for x in 0..<pixels.width {
                for c in 0..<3 { samples.append(Int((min(max(pixels[c, y, x], 0), 1) * maxValue).rounded())) }
            }
        }
        return samples
    }

    /// tiffinfo and tifffile (independent readers) see a tiled BigTIFF of the canvas's size with
    /// its pyramid (300 → 150 → 75 → 38 at 64² tiles), at the asked bit depth, and its pixels.
    func testTiledBigTIFFHasThePyramidBitDepthAndPixels() throws {
        let folder = try TemporaryDirectory()
        let (canvas, pixels) = try canvas(in: folder)
        defer { try? canvas.close() }
        for (bitDepth, maxValue) in [(BitDepth.eight, Float(255)), (.sixteen, 65535)] {
            let path = folder.path("out\(bitDepth.rawValue).tif")
            try LevelOutputWriter.write(canvas, to: path, format: .tiff, bitDepth: bitDepth, tileSize: 64)
            let info = try ReferenceTool.run("/usr/bin/tiffinfo", [path])
            XCTAssertTrue(info.contains("Image Width: 300 Image Length: 200"), info)
            XCTAssertTrue(info.contains("Tile Width: 64 Tile Length: 64"), info)
            XCTAssertTrue(info.contains("Bits/Sample: \(bitDepth.rawValue)"), info)
            for size in ["150 Image Length: 100", "75 Image Length: 50", "38 Image Length: 25"] {
                XCTAssertTrue(info.contains("Image Width: \(size)"), "pyramid level \(size) missing: \(info)")
            }
            let read = try ReferenceImages.readWithTifffile(path)
            XCTAssertEqual([read.width, read.height, read.channels, read.bits], [300, 200, 3, bitDepth.rawValue])
            let samples = bitDepth == .eight ? read.samples8.map(Int.init) : read.samples16.map(Int.init)
            XCTAssertEqual(samples, expected(pixels, maxValue: maxValue))
            let reduced = try ReferenceImages.readWithTifffile(path, level: 1)
            XCTAssertEqual([reduced.width, reduced.height], [150, 100])
        }
    }

    /// A PNG when asked for and small enough, its pixels read back; above the limit a one-line
    /// error naming the limit, and no file.
    func testPNGWithinTheLimitAndAClearErrorAboveIt() throws {
        let folder = try TemporaryDirectory()
        let (canvas, pixels) = try canvas(in: folder)
        defer { try? canvas.close() }
        let path = folder.path("out.png")
        try LevelOutputWriter.write(canvas, to: path, format: .png, bitDepth: .sixteen)
        let read = try PNGFile.read(path: path)
        XCTAssertEqual([read.width, read.height, read.bitDepth.rawValue], [300, 200, 16])
        XCTAssertEqual(read.interleaved16().map(Int.init), expected(pixels, maxValue: 65535))
        let large = folder.path("large.png")
        XCTAssertThrowsError(
            try LevelOutputWriter.write(canvas, to: large, format: .png, bitDepth: .eight, pngPixelLimit: 50_000)
        ) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("large.png") && text.contains("50000") && text.contains("300x200"), text)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: large))
    }

    /// A finish is applied to every tile before it is written: a tiled TIFF of a finished canvas
    /// holds the finish of the whole canvas (its enlargement depends only on each pixel's
    /// position, and the guide is the content read by rectangle, so tiles meet without seams).
    func testEveryTileIsFinishedAsTheWholeWouldBe() throws {
        let folder = try TemporaryDirectory()
        let (canvas, pixels) = try canvas(in: folder)
        defer { try? canvas.close() }
        var random = SeededRandom(seed: 8)
        let style = random.tensor(Shape(channels: 3, height: 30, width: 40), in: 0.2...0.6)
        // A content file at half the output's size, enlarged as the job reads it.
        let contentPath = folder.path("content.png")
        let samples: [Float] = (0..<(150 * 100 * 3)).map { (i: Int) -> Float in Float((i * 7919) % 256) / 255 }
        try PNGFile.write(
            Raster(width: 150, height: 100, layout: .rgb, bitDepth: .eight, samples: samples), to: contentPath)
        let content = LevelContentSource(source: try ImageFile.open(contentPath), width: 300, height: 200)
        let finish = try OutputFinish.colourFinish(
            of: canvas, content: content, style: style, strength: 1, seed: 0, overviewSide: 64)
        guard case .colourFinish(let field, _) = finish else { return XCTFail("a colour finish") }
        XCTAssertEqual(field.factor, 5)
        let path = folder.path("finished.tif")
        try LevelOutputWriter.write(canvas, to: path, format: .tiff, bitDepth: .sixteen, tileSize: 64, finish: finish)
        let read = try ReferenceImages.readWithTifffile(path)
        let all = PixelRect(width: 300, height: 200)
        let whole = field.apply(to: pixels, content: try content.read(all), at: all)
        XCTAssertEqual(read.samples16.map(Int.init), expected(whole, maxValue: 65535))
        XCTAssertNotEqual(read.samples16.map(Int.init), expected(pixels, maxValue: 65535), "the finish changed nothing")
    }

    /// The overview is the mean of each block, partial blocks at the right and bottom edges
    /// averaged over the pixels they have (a naive Float64 loop).
    func testTheOverviewAveragesEachBlock() throws {
        var random = SeededRandom(seed: 6)
        let pixels = random.tensor(Shape(channels: 3, height: 37, width: 50), in: 0...1)
        let canvas = MemoryCanvas(channels: 3, width: 50, height: 37)
        canvas.write(pixels, at: PixelRect(width: 50, height: 37))
        let overview = CanvasOverview.read(canvas, factor: 8)
        XCTAssertEqual([overview.channels, overview.height, overview.width], [3, 5, 7])
        for c in 0..<3 {
            for row in 0..<5 {
                for column in 0..<7 {
                    var sum = 0.0, count = 0.0
                    for y in (row * 8)..<min(row * 8 + 8, 37) {
                        for x in (column * 8)..<min(column * 8 + 8, 50) {
                            sum += Double(pixels[c, y, x])
                            count += 1
                        }
                    }
                    XCTAssertEqual(Double(overview[c, row, column]), sum / count, accuracy: 1e-6)
                }
            }
        }
    }
}
