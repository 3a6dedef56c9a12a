import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

final class ImageFileTests: XCTestCase {
    private func assertRefused(
        _ bytes: [UInt8], name: String, file: StaticString = #filePath, line: UInt = #line,
        _ check: (ImageIOError) -> Bool
    ) throws {
        let folder = try TemporaryDirectory()
        let path = folder.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ImageStatistics.compute(ImageFile.open(path)), file: file, line: line) { error in
            guard let imageError = error as? ImageIOError else {
                return XCTFail("not an ImageIOError: \(error)", file: file, line: line)
            }
            XCTAssertEqual(imageError.path, path, file: file, line: line)
            XCTAssertTrue(check(imageError), "\(imageError)", file: file, line: line)
            XCTAssertFalse(imageError.description.contains("\n"), file: file, line: line)
        }
    }

    func testFilesAreRecognisedByTheirBytesNotTheirName() throws {
        let folder = try TemporaryDirectory()
        let png = folder.path("really-a-png.tif")
        try PNGFile.write(patternRaster(width: 4, height: 4, layout: .gray, bitDepth: .eight), to: png)
        XCTAssertEqual(try ImageFile.open(png).info.format, .png)
        let tiff = folder.path("really-a-tiff.png")
        _ = try ReferenceImages.tifffile(tiff, width: 4, height: 4, channels: 1, bits: 8)
        XCTAssertEqual(try ImageFile.open(tiff).info.format, .tiff)
        let jpeg = folder.path("really-a-jpeg.png")
        try JPEGFile.write(patternRaster(width: 4, height: 4, layout: .rgb, bitDepth: .eight), to: jpeg)
        XCTAssertEqual(try ImageFile.open(jpeg).info.format, .jpeg)
        let webp = folder.path("really-a-webp.jpg")
        try WebPFile.write(patternRaster(width: 4, height: 4, layout: .rgb, bitDepth: .eight), to: webp)
        XCTAssertEqual(try ImageFile.open(webp).info.format, .webp)
    }

    func testEmptyRandomAndForeignFilesAreRefusedWithTheirReason() throws {
        try assertRefused([], name: "empty.png") { $0.description.contains("empty file") }
        var generator = SplitMix64(seed: 3)
        try assertRefused((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }, name: "random.tif") {
            if case .unsupported = $0 { return true } else { return false }
        }
        try assertRefused(Array("just some text\n".utf8), name: "text.png") {
            $0.description.contains("not a PNG, JPEG, WebP or TIFF")
        }
        try assertRefused(Array("GIF89a".utf8) + [1, 0, 1, 0], name: "anim.png") { $0.description.contains("GIF") }
        // A JPEG signature with a cut-off header.
        try assertRefused([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], name: "photo.png") {
            if case .decode = $0 { return true } else { return false }
        }
        // A TIFF signature with nothing behind it.
        try assertRefused([0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0, 0], name: "header-only.tif") {
            if case .decode = $0 { return true } else { return false }
        }
    }

    func testAMissingFileIsAnIOError() {
        XCTAssertThrowsError(try ImageFile.open("/nonexistent/atelier.png")) { error in
            XCTAssertEqual(error as? ImageIOError, .io(path: "/nonexistent/atelier.png", reason: "no such file"))
        }
    }
}
