import Foundation
import Tensor
import TestSupport
import XCTest

/// `atelier info` end to end: exact output, JSON, and the bad-input contract (exit status 3, one
/// line naming the file and the reason, in under a second).
final class InfoCommandTests: XCTestCase {
    func testTextOutputOfASharedPhoto() throws {
        let path = Fixtures.samples.appendingPathComponent("content/astronaut.png").path
        let outcome = try AtelierProcess.run(["info", path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(
            outcome.stdout,
            """
            file: \(path)
            format: PNG
            size: 512x512
            channels: 3 (rgb)
            bits per sample: 8
            tiling: none
            compression: deflate
            pyramid levels: 1 (512x512)

            """)
        XCTAssertEqual(outcome.stderr, "")
    }

    func testTextOutputOfAPyramidWrittenByTheTiledWriter() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("pyramid.tif")
        let make = try AtelierProcess.run([
            "make-test-image", "--width", "300", "--height", "200", "--tile-size", "64", "--pyramid-levels=-1", "--out",
            path,
        ])
        XCTAssertEqual(make.status, 0, make.stderr)
        let outcome = try AtelierProcess.run(["info", path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(
            outcome.stdout,
            """
            file: \(path)
            format: BigTIFF
            size: 300x200
            channels: 3 (rgb)
            bits per sample: 8
            tiling: tiles 64x64
            compression: deflate
            pyramid levels: 4 (300x200, 150x100, 75x50, 38x25)

            """)
    }

    func testJSONWithStatisticsMatchesTifffileAndNumpy() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("scan.tif")
        try ReferenceTool.python(
            """
            import sys, numpy, tifffile
            rng = numpy.random.RandomState(8)
            base = rng.randint(0, 65536, size=(120, 100, 4)).astype(numpy.uint16)
            with tifffile.TiffWriter(sys.argv[1], bigtiff=True) as tif:
                tif.write(base, subifds=1, tile=(32, 32), compression='zlib', photometric='rgb', extrasamples=['unassalpha'], metadata=None)
                tif.write(base[::2, ::2], subfiletype=1, tile=(32, 32), compression='zlib', photometric='rgb', extrasamples=['unassalpha'], metadata=None)
            """, [path])
        let outcome = try AtelierProcess.run(["info", path, "--stats", "--json"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "BigTIFF")
        XCTAssertEqual(json["width"] as? Int, 100)
        XCTAssertEqual(json["height"] as? Int, 120)
        XCTAssertEqual(json["channels"] as? Int, 4)
        XCTAssertEqual(json["layout"] as? String, "rgba")
        XCTAssertEqual(json["bitsPerSample"] as? Int, 16)
        XCTAssertEqual(json["tileWidth"] as? Int, 32)
        XCTAssertEqual(json["compression"] as? String, "deflate")
        XCTAssertEqual(json["pyramidLevels"] as? Int, 2)
        let statistics = try XCTUnwrap(json["statistics"] as? [[String: Any]])
        XCTAssertEqual(statistics.compactMap { $0["channel"] as? String }, ["red", "green", "blue", "alpha"])
        let numpy = try ReferenceImages.numpyStatistics(path)
        XCTAssertEqual(numpy.count, 4)
        for (entry, reference) in zip(statistics, numpy) {
            XCTAssertEqual(entry["min"] as? Int, reference.min)
            XCTAssertEqual(entry["max"] as? Int, reference.max)
            XCTAssertEqual(try XCTUnwrap(entry["mean"] as? Double), reference.mean, accuracy: 1e-9 * reference.mean)
        }
    }

    func testBadInputsExitWithStatusThreeAndOneLineNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        let good = folder.path("good.png")
        try ReferenceTool.python(
            "import sys, numpy; from PIL import Image; Image.fromarray(numpy.full((64, 64, 3), 90, numpy.uint8)).save(sys.argv[1])",
            [good])
        let goodTIFF = folder.path("good.tif")
        _ = try ReferenceImages.tifffile(
            goodTIFF, width: 64, height: 64, channels: 3, bits: 8, options: "tile=(16, 16), compression='zlib'")
        func write(_ name: String, _ bytes: Data) throws -> String {
            let path = folder.path(name)
            try bytes.write(to: URL(fileURLWithPath: path))
            return path
        }
        let pngBytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let tiffBytes = try Data(contentsOf: URL(fileURLWithPath: goodTIFF))
        let huge = try Self.hugeHeaderPNG(in: folder)
        let float = folder.path("float.tif")
        try ReferenceTool.python(
            "import sys, numpy, tifffile; tifffile.imwrite(sys.argv[1], numpy.zeros((8, 8), numpy.float32))", [float])
        var generator = SplitMix64(seed: 99)

        let cases: [(path: String, stats: Bool, reason: String)] = [
            (try write("truncated.png", pngBytes.prefix(pngBytes.count * 2 / 3)), true, "truncated?"),
            (try write("truncated-too.png", pngBytes.prefix(pngBytes.count * 2 / 3)), false, "truncated?"),
            // Without --stats, the tile table shows the truncation; with it, decoding does.
            (try write("truncated.tif", tiffBytes.prefix(tiffBytes.count / 2)), false, "truncated?"),
            (try write("truncated-too.tif", tiffBytes.prefix(tiffBytes.count / 2)), true, "truncated?"),
            (
                try write("random.png", Data((0..<5000).map { _ in UInt8(truncatingIfNeeded: generator.next()) })),
                false, "not a PNG, JPEG, WebP or TIFF"
            ),
            (try write("empty.tif", Data()), false, "empty file"),
            (
                try write("notes.png", Data("these are notes, not pixels\n".utf8)), false,
                "not a PNG, JPEG, WebP or TIFF"
            ),
            (huge, true, "above the in-memory limit"),
            (float, false, "floating-point"),
            (folder.path("missing.png"), false, "no such file"),
        ]
        for (path, stats, reason) in cases {
            let start = Date()
            let outcome = try AtelierProcess.run(["info", path] + (stats ? ["--stats"] : []), timeout: 10)
            let elapsed = Date().timeIntervalSince(start)
            XCTAssertEqual(outcome.status, 3, "\(path): \(outcome.stderr)")
            XCTAssertEqual(outcome.stdout, "", path)
            XCTAssertTrue(outcome.stderr.hasPrefix("atelier: \(path): "), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains(reason), "\(reason) not in \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.filter { $0 == "\n" }.count, 1, outcome.stderr)
            XCTAssertLessThan(elapsed, 1, "\(path) took \(elapsed) s")
        }
    }

    func testAHugeHeaderIsDescribedWithoutDecodingAndTheLimitIsConfigurable() throws {
        let folder = try TemporaryDirectory()
        let huge = try Self.hugeHeaderPNG(in: folder)
        let start = Date()
        let described = try AtelierProcess.run(["info", huge, "--json"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
        XCTAssertEqual(described.status, 0, described.stderr)
        XCTAssertTrue(described.stdout.contains("\"width\" : 100000"), described.stdout)

        let path = folder.path("image.png")
        try ReferenceTool.python(
            "import sys, numpy; from PIL import Image; Image.fromarray(numpy.zeros((40, 50), numpy.uint8)).save(sys.argv[1])",
            [path])
        let limited = try AtelierProcess.run(["info", path, "--stats", "--max-pixels", "1999"])
        XCTAssertEqual(limited.status, 3)
        XCTAssertEqual(
            limited.stderr,
            "atelier: \(path): 50x40 pixels is above the in-memory limit of 1999 pixels; read it by region from a tiled TIFF instead\n"
        )
        let allowed = try AtelierProcess.run(["info", path, "--stats", "--max-pixels", "2000"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stdout.hasSuffix("gray: min 0 max 0 mean 0.0000\n"), allowed.stdout)
        let usage = try AtelierProcess.run(["info", path, "--max-pixels", "0"])
        XCTAssertEqual(usage.status, 2)
    }

    /// A valid PNG whose header claims 100000×100000 RGB pixels (its data is one short row).
    static func hugeHeaderPNG(in folder: TemporaryDirectory) throws -> String {
        let huge = folder.path("huge.png")
        try ReferenceTool.python(
            """
            import sys, struct, zlib
            def chunk(kind, data): return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
            header = struct.pack('>IIBBBBB', 100000, 100000, 8, 2, 0, 0, 0)
            open(sys.argv[1], 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(b'\\0' * 300001)) + chunk(b'IEND', b''))
            """, [huge])
        return huge
    }
}
