import Foundation
import TestSupport
import XCTest

@testable import ImageIO

final class TIFFReaderTests: XCTestCase {
    /// (channels, bits, planar, tifffile options): strips and tiles, 8 and 16 bits, chunky and
    /// planar, uncompressed and Deflate, classic and BigTIFF.
    static let tifffileCases: [(Int, Int, Bool, String)] = [
        (3, 8, false, "rowsperstrip=7"),
        (1, 16, false, "tile=(32, 32), compression='zlib'"),
        (4, 8, false, "tile=(16, 48), bigtiff=True"),
        (3, 16, true, "rowsperstrip=5, compression='zlib'"),
        (2, 8, false, "compression='zlib', predictor=True"),
        (3, 8, true, "tile=(32, 32), bigtiff=True"),
        (3, 16, false, "tile=(16, 16), byteorder='>'"),  // big-endian samples
    ]

    func testFilesWrittenByTifffileAreReadExactly() throws {
        let folder = try TemporaryDirectory()
        for (index, (channels, bits, planar, options)) in Self.tifffileCases.enumerated() {
            let path = folder.path("case\(index).tif")
            let expected = try ReferenceImages.tifffile(
                path, width: 75, height: 41, channels: channels, bits: bits, seed: index, planar: planar,
                options: options)
            let reader = try TIFFReader(path: path)
            XCTAssertEqual(reader.info.planar, planar, options)
            XCTAssertEqual(reader.info.format, options.contains("bigtiff") ? .bigTIFF : .tiff, options)
            assertPixels(try reader.readAll(), equal: expected, options)
        }
    }

    func testEveryCompressionTiffcpWritesIsReadExactly() throws {
        let folder = try TemporaryDirectory()
        let source16 = folder.path("source16.tif")
        let expected16 = try ReferenceImages.tifffile(source16, width: 70, height: 45, channels: 3, bits: 16, seed: 3)
        let source8 = folder.path("source8.tif")
        let expected8 = try ReferenceImages.tifffile(source8, width: 70, height: 45, channels: 4, bits: 8, seed: 4)
        // tiffcp changes the planar configuration of 8-bit images only.
        let conversions: [(String, [String], Bool)] = [
            ("lzw-tiles", ["-c", "lzw", "-t", "-w", "32", "-l", "32"], true),
            ("zip-strips", ["-c", "zip:p2", "-s", "-r", "9"], true),
            ("packbits-bigtiff", ["-c", "packbits", "-8"], true),
            ("lzma-tiles-bigtiff", ["-c", "lzma", "-8", "-t", "-w", "48", "-l", "16"], true),
            ("none-planar-tiles", ["-c", "none", "-p", "separate", "-t", "-w", "16", "-l", "16"], false),
            ("lzw-planar-strips", ["-c", "lzw:2", "-p", "separate", "-s", "-r", "4"], false),
        ]
        for (name, arguments, sixteen) in conversions {
            let path = folder.path("\(name).tif")
            let (source, expected) = sixteen ? (source16, expected16) : (source8, expected8)
            try ReferenceTool.run("/usr/bin/tiffcp", arguments + [source, path])
            let reader = try TIFFReader(path: path)
            assertPixels(try reader.readAll(), equal: expected, name)
        }
    }

    func testRegionReadsEqualTheSameRectangleOfAFullDecode() throws {
        let folder = try TemporaryDirectory()
        let cases: [(String, Bool)] = [
            ("tile=(32, 32), compression='zlib'", false), ("rowsperstrip=6", false), ("tile=(16, 16)", true),
        ]
        for (index, (options, planar)) in cases.enumerated() {
            let path = folder.path("regions\(index).tif")
            _ = try ReferenceImages.tifffile(
                path, width: 83, height: 70, channels: 3, bits: 8, seed: 9, planar: planar, options: options)
            let reader = try TIFFReader(path: path)
            let full = try reader.readAll()
            let regions = [
                PixelRect(x: 31, y: 31, width: 2, height: 2),  // the corner where four tiles meet
                PixelRect(x: 15, y: 5, width: 50, height: 40),  // straddles several tiles and strips
                PixelRect(x: 80, y: 66, width: 3, height: 4),  // the bottom-right edge, partial tiles
                PixelRect(x: 82, y: 0, width: 1, height: 70),  // the last column, top to bottom
                PixelRect(x: 0, y: 69, width: 83, height: 1),  // the last row
            ]
            for region in regions {
                XCTAssertEqual(try reader.read(region: region), full.cropped(to: region), "\(options) \(region)")
            }
            XCTAssertThrowsError(try reader.read(region: PixelRect(x: 80, y: 0, width: 4, height: 1)))
        }
    }

    func testTallStripsArePassedOverInBandsDecodingEachStripOnce() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("tall-strips.tif")
        _ = try ReferenceImages.tifffile(
            path, width: 80, height: 150, channels: 3, bits: 16, planar: true, options: "rowsperstrip=64")
        let reader = try TIFFReader(path: path, limits: ImageLimits(regionPixels: 80 * 20))
        // 20 rows allowed; 16 is the largest band height that divides the 64-row strips.
        XCTAssertEqual(reader.readingRegions.cellHeight, 16)
        XCTAssertEqual(Array(reader.readingRegions).count, 10)
        let statistics = try ImageStatistics.compute(reader)
        XCTAssertEqual(reader.chunksDecoded, 3 * 3)  // three strips in each of three planes
        let reference = try ReferenceImages.numpyStatistics(path)
        XCTAssertEqual(statistics.map(\.minimum), reference.map(\.min))
        XCTAssertEqual(statistics.map(\.maximum), reference.map(\.max))
        for (ours, theirs) in zip(statistics, reference) {
            XCTAssertEqual(ours.mean, theirs.mean, accuracy: 1e-9 * theirs.mean)
        }
    }

    func testARegionReadDecodesOnlyTheTilesItMeets() throws {
        // tifffile writes the directory first and the tiles after it in order, so cutting the
        // file's tail destroys the last tiles only: a region that avoids them still reads.
        let folder = try TemporaryDirectory()
        let path = folder.path("tiles.tif")
        let expected = try ReferenceImages.tifffile(
            path, width: 64, height: 64, channels: 1, bits: 8, options: "tile=(16, 16)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 16 * 16 * 3).write(to: URL(fileURLWithPath: path))
        let reader = try TIFFReader(path: path)
        let top = PixelRect(x: 0, y: 0, width: 64, height: 48)
        let topPixels = try reader.read(region: top)
        XCTAssertEqual(topPixels.interleaved8(), Array(expected.samples8.prefix(64 * 48)))
        XCTAssertThrowsError(try reader.read(region: PixelRect(x: 60, y: 60, width: 4, height: 4))) { error in
            guard case .decode(let errorPath, _) = error as? ImageIOError else { return XCTFail("\(error)") }
            XCTAssertEqual(errorPath, path)
        }
    }

    func testStorageCheckFindsATruncatedFileWithoutDecoding() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("whole.tif")
        _ = try ReferenceImages.tifffile(path, width: 64, height: 64, channels: 3, bits: 8, options: "tile=(16, 16)")
        XCTAssertNoThrow(try TIFFReader(path: path).verifyStorage())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let truncated = folder.path("truncated.tif")
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: truncated))
        let reader = try TIFFReader(path: truncated)
        XCTAssertThrowsError(try reader.verifyStorage()) { error in
            guard case .decode(_, let reason) = error as? ImageIOError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("tile 15 "), reason)
            XCTAssertTrue(reason.hasSuffix("truncated?"), reason)
        }
        XCTAssertEqual(reader.chunksDecoded, 0)
    }

    func testJPEGCompressedYCbCrIsDecodedToRGB() throws {
        // JPEG is lossy and decoders differ in their last bit, so this compares with the
        // original pixels within JPEG's error rather than exactly.
        let folder = try TemporaryDirectory()
        let source = folder.path("source.tif")
        try ReferenceTool.python(
            """
            import sys, numpy, tifffile
            y, x = numpy.mgrid[0:48, 0:64]
            a = numpy.stack([x * 4, y * 5, (x + y) * 2], axis=2).astype(numpy.uint8)
            tifffile.imwrite(sys.argv[1], a, photometric='rgb', metadata=None)
            a.tofile(sys.argv[1] + '.smooth')
            """, [source])
        let smooth = try [UInt8](Data(contentsOf: URL(fileURLWithPath: source + ".smooth")))
        let path = folder.path("jpeg.tif")
        try ReferenceTool.run("/usr/bin/tiffcp", ["-c", "jpeg:95", "-t", "-w", "16", "-l", "16", source, path])
        XCTAssertTrue(try ReferenceTool.run("/usr/bin/tiffinfo", [path]).contains("YCbCr"))
        let reader = try TIFFReader(path: path)
        XCTAssertEqual(reader.info.compression, "jpeg")
        XCTAssertEqual(reader.info.layout, .rgb)
        let decoded = try reader.readAll().interleaved8()
        let meanError = zip(decoded, smooth).map { abs(Double($0) - Double($1)) }.reduce(0, +) / Double(smooth.count)
        XCTAssertLessThan(meanError, 3, "mean absolute error \(meanError)")
    }

    func testFloatingPointSamplesAreUnsupported() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("float.tif")
        try ReferenceTool.python(
            "import sys, numpy, tifffile; tifffile.imwrite(sys.argv[1], numpy.zeros((8, 8), numpy.float32))", [path])
        XCTAssertThrowsError(try TIFFReader(path: path)) { error in
            guard case .unsupported(let errorPath, let reason) = error as? ImageIOError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(errorPath, path)
            XCTAssertTrue(reason.contains("floating-point"), reason)
        }
    }

    func testPyramidLevelsWrittenAsSubIFDsByTifffileAreFoundAndRead() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("pyramid.tif")
        try ReferenceTool.python(
            """
            import sys, numpy, tifffile
            rng = numpy.random.RandomState(5)
            levels = [rng.randint(0, 256, size=(96 >> i, 80 >> i, 3)).astype(numpy.uint8) for i in range(3)]
            with tifffile.TiffWriter(sys.argv[1], bigtiff=True) as tif:
                tif.write(levels[0], subifds=2, tile=(32, 32), photometric='rgb', metadata=None)
                for level in levels[1:]:
                    tif.write(level, subfiletype=1, tile=(32, 32), photometric='rgb', metadata=None)
            """, [path])
        let reader = try TIFFReader(path: path)
        XCTAssertEqual(reader.info.pyramid.map(\.description), ["80x96", "40x48", "20x24"])
        let level2 = try TIFFReader(path: path, level: 2)
        XCTAssertEqual(level2.info.width, 20)
        assertPixels(try level2.readAll(), equal: try ReferenceImages.readWithTifffile(path, level: 2))
        XCTAssertThrowsError(try TIFFReader(path: path, level: 3)) { error in
            guard case .invalidRequest = error as? ImageIOError else { return XCTFail("\(error)") }
        }
    }

    func testCMYKIsUnsupportedByName() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("cmyk.tif")
        try ReferenceTool.python(
            "import sys, numpy, tifffile; tifffile.imwrite(sys.argv[1], numpy.zeros((8, 8, 4), numpy.uint8), photometric='separated')",
            [path])
        XCTAssertThrowsError(try TIFFReader(path: path)) { error in
            XCTAssertEqual(
                error as? ImageIOError,
                .unsupported(path: path, reason: "CMYK (separated) images (gray and RGB are read)"))
        }
    }

    func testMinIsWhiteGrayIsInverted() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("white.tif")
        try ReferenceTool.python(
            "import sys, numpy, tifffile; tifffile.imwrite(sys.argv[1], numpy.array([[0, 10, 255]], numpy.uint8), photometric='miniswhite')",
            [path])
        XCTAssertEqual(try TIFFReader(path: path).readAll().interleaved8(), [255, 245, 0])
    }
}
