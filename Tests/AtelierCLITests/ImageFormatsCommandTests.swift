import Foundation
import ImageIO
import TestSupport
import XCTest

/// JPEG and WebP through the command line: a JPEG photo and a JPEG painting in, a JPEG and a WebP
/// out (read back by Pillow), outputs chosen by extension, and the bad inputs and options with
/// their documented exit statuses.
final class ImageFormatsCommandTests: XCTestCase {
    private static func sample(_ name: String) -> String { Fixtures.samples.appendingPathComponent(name).path }

    /// The real photo carries an Adobe RGB profile; the painting none.
    private static let photo = sample("content/rocket.jpg")
    private static let painting = sample("style/shipwreck.jpg")

    /// A run of seconds: 48 px output, two levels, two iterations each.
    private static let tiny = ["--size", "48", "--set", "iterations=[2]", "--set", "coarse_size=32", "--threads", "2"]

    /// Pillow's view of a file: format, width, height, mode.
    private func pillowDescription(_ path: String) throws -> String {
        try ReferenceTool.python(
            "import sys; from PIL import Image; im = Image.open(sys.argv[1]); im.load();"
                + " print(im.format, im.size[0], im.size[1], im.mode)", [path]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testAJPEGPhotoAndAJPEGPaintingMakeAJPEGAndAWebP() throws {
        let folder = try TemporaryDirectory()
        for (name, pillow, format) in [("out.jpg", "JPEG", ImageInfo.Format.jpeg), ("out.webp", "WEBP", .webp)] {
            let out = folder.path(name)
            let run = try AtelierProcess.run(
                ["stylize", "--content", Self.photo, "--style", Self.painting, "--out", out] + Self.tiny)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(try ImageFile.open(out).info.format, format)
            XCTAssertEqual(try pillowDescription(out), "\(pillow) 48 32 RGB")
            let warnings = run.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
            XCTAssertEqual(warnings.count, 1, run.stderr)
            XCTAssertTrue(
                warnings.first?.contains("\(Self.photo): has \"Adobe RGB (1998)\" ICC colour profile") ?? false)
        }
    }

    func testASixteenBitContentWrittenAsJPEGSaysItBecomesEightBit() throws {
        let folder = try TemporaryDirectory()
        let content = folder.path("deep.png")
        let count = 3 * 96 * 64
        let samples: [Float] = (0..<count).map { (index: Int) -> Float in Float(index * 7919 % 65536) / 65535 }
        try PNGFile.write(
            Raster(width: 96, height: 64, layout: .rgb, bitDepth: .sixteen, samples: samples), to: content)
        let out = folder.path("deep.jpg")
        let run = try AtelierProcess.run(
            ["stylize", "--content", content, "--style", Self.painting, "--out", out, "--quality", "70"] + Self.tiny)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("warning: \(out): JPEG is 8-bit; the 16-bit content is written at 8 bits"))
        XCTAssertEqual(try ImageFile.open(out).info.bitDepth, .eight)
    }

    /// Each is refused before any image is read: the inputs here do not even exist.
    func testUnknownExtensionsAndMisplacedOutputOptionsAreUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--out", "painted.bmp"], "painted.bmp: unknown output extension \".bmp\"; use one of .png, .jpg"),
            (["--out", "painted"], "unknown output extension (none)"),
            (["--out", "o.jpg", "--quality", "0"], "--quality must be 1-100, not 0"),
            (["--out", "o.png", "--quality", "80"], "--quality applies to .jpg and .webp outputs"),
            (["--out", "o.png", "--tiled"], "--tiled applies to .tif outputs only"),
        ]
        for (arguments, message) in cases {
            let run = try AtelierProcess.run(
                ["stylize", "--content", "/nonexistent/c.jpg", "--style", "/nonexistent/s.jpg"] + arguments, timeout: 20
            )
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(message) not in \(run.stderr)")
        }
    }

    func testTruncatedAndGarbageJPEGAndWebPInputsExitThreeNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        let photo = try Data(contentsOf: URL(fileURLWithPath: Self.photo))
        let webp = folder.path("whole.webp")
        try WebPFile.write(try ImageFile.open(Self.sample("content/chelsea.png")).readAll(), to: webp, quality: 60)
        let webpBytes = try Data(contentsOf: URL(fileURLWithPath: webp))
        var garbage = Data([0xFF, 0xD8, 0xFF, 0xDB])
        garbage.append(Data(repeating: 0x5A, count: 400))
        let files: [(String, Data)] = [
            ("truncated.jpg", photo.prefix(photo.count / 2)), ("garbage.jpg", garbage),
            ("truncated.webp", webpBytes.prefix(webpBytes.count / 3)),
        ]
        for (name, bytes) in files {
            let path = folder.path(name)
            try bytes.write(to: URL(fileURLWithPath: path))
            for arguments in [["info", path], ["info", "--stats", path]] {
                let run = try AtelierProcess.run(arguments, timeout: 20)
                XCTAssertEqual(run.status, 3, "\(arguments): \(run.stderr)")
                XCTAssertTrue(run.stderr.hasPrefix("atelier: \(path): cannot decode: "), run.stderr)
                XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr)
            }
            let stylize = try AtelierProcess.run(
                ["stylize", "--content", path, "--style", Self.painting, "--out", folder.path("o.jpg")] + Self.tiny)
            XCTAssertEqual(stylize.status, 3, stylize.stderr)
            XCTAssertTrue(stylize.stderr.contains("atelier: \(path): cannot decode: "), stylize.stderr)
        }
    }
}
