import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

/// JPEG against Pillow: files Pillow wrote read back as Pillow decodes them, Exif orientations
/// turned as `ImageOps.exif_transpose` turns them, our files read by Pillow, and damaged files
/// refused with a decode error naming the file.
final class JPEGFileTests: XCTestCase {
    /// The largest difference between two sample arrays of the same length.
    private func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    private func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        Double(zip(a, b).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(max(a.count, 1))
    }

    func testPillowsRGBAndGreyJPEGsReadAsPillowDecodesThem() throws {
        let folder = try TemporaryDirectory()
        for channels in [3, 1] {
            let path = folder.path("pillow-\(channels).jpg")
            let written = try PillowImages.write(path, width: 37, height: 23, .init(format: "JPEG", channels: channels))
            let source = try ImageFile.open(path)
            XCTAssertEqual(source.info.format, .jpeg)
            XCTAssertEqual(source.info.layout, channels == 3 ? .rgb : .gray)
            XCTAssertEqual([source.info.width, source.info.height], [37, 23])
            let raster = try source.readAll()
            // Pillow decodes with the same libjpeg-turbo, but its IDCT settings may differ: a level or two.
            XCTAssertLessThanOrEqual(maxDifference(raster.interleaved8(), written.decoded.samples), 2, path)
            // And the lossy round trip stays near what was saved (quality 95, Pillow's 4:2:0 chroma).
            XCTAssertLessThan(meanDifference(raster.interleaved8(), written.source.samples), 5, path)
        }
    }

    func testExifOrientationsTurnThePictureAsPillowsExifTransposeDoes() throws {
        let folder = try TemporaryDirectory()
        for orientation in 1...8 {
            let path = folder.path("orientation-\(orientation).jpg")
            let written = try PillowImages.write(
                path, width: 24, height: 16, .init(format: "JPEG", orientation: orientation))
            let source = try ImageFile.open(path)
            let raster = try source.readAll()
            XCTAssertEqual(
                [raster.width, raster.height], [written.decoded.width, written.decoded.height],
                "orientation \(orientation)")
            XCTAssertEqual([source.info.width, source.info.height], [raster.width, raster.height])
            XCTAssertLessThanOrEqual(
                maxDifference(raster.interleaved8(), written.decoded.samples), 2, "orientation \(orientation)")
        }
    }

    func testOurJPEGIsReadByPillowNearTheOriginalAndQualityMatters() throws {
        let folder = try TemporaryDirectory()
        let original = try PillowImages.write(folder.path("seed.png.jpg"), width: 64, height: 48, .init(format: "JPEG"))
        let raster = Raster(
            interleaved8: original.source.samples, width: 64, height: 48, layout: .rgb)
        var sizes: [Int: Int] = [:]
        for quality in [50, 92] {
            let path = folder.path("ours-\(quality).jpg")
            try JPEGFile.write(raster, to: path, quality: quality)
            let pillow = try PillowImages.read(path)
            XCTAssertEqual([pillow.width, pillow.height, pillow.channels], [64, 48, 3])
            XCTAssertLessThan(meanDifference(pillow.samples, raster.interleaved8()), quality == 92 ? 3 : 6, path)
            sizes[quality] = try Data(contentsOf: URL(fileURLWithPath: path)).count
        }
        XCTAssertLessThan(sizes[50]!, sizes[92]!, "\(sizes)")
        // A 16-bit grey raster with alpha becomes an 8-bit grey JPEG (JPEG has neither).
        let grey = patternRaster(width: 9, height: 7, layout: .grayAlpha, bitDepth: .sixteen)
        let path = folder.path("grey.jpg")
        try JPEGFile.write(grey, to: path)
        let info = try ImageFile.open(path).info
        XCTAssertEqual([info.layout.channelCount, info.bitDepth.rawValue], [1, 8])
    }

    func testCMYKIsRefusedAsUnsupported() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("cmyk.jpg")
        _ = try PillowImages.write(path, width: 8, height: 8, .init(format: "JPEG", cmyk: true))
        XCTAssertThrowsError(try ImageFile.open(path)) { error in
            guard case .unsupported(let errorPath, let reason) = error as? ImageIOError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(errorPath, path)
            XCTAssertTrue(reason.contains("CMYK"), reason)
        }
    }

    func testTruncatedAndGarbageJPEGsAreDecodeErrorsNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        let whole = folder.path("whole.jpg")
        _ = try PillowImages.write(whole, width: 40, height: 30, .init(format: "JPEG"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        var generator = SplitMix64(seed: 11)
        let garbage = [0xFF, 0xD8, 0xFF] + (0..<600).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let damaged: [(String, Data)] = [
            ("half.jpg", bytes.prefix(bytes.count / 2)), ("no-eoi.jpg", bytes.dropLast(2)),
            ("header-only.jpg", bytes.prefix(20)), ("garbage.jpg", Data(garbage)),
        ]
        for (name, data) in damaged {
            let path = folder.path(name)
            try data.write(to: URL(fileURLWithPath: path))
            assertDecodeError(path)
            XCTAssertThrowsError(try ImageFile.open(path).verifyStorage(), name)
        }
        XCTAssertNoThrow(try ImageFile.open(whole).verifyStorage())
    }

    func testANonSRGBProfileIsWarnedAboutAndSRGBIsNot() throws {
        let folder = try TemporaryDirectory()
        let p3 = folder.path("p3.jpg")
        _ = try PillowImages.write(p3, width: 8, height: 8, .init(format: "JPEG", iccProfile: "Display P3"))
        let srgb = folder.path("srgb.jpg")
        _ = try PillowImages.write(srgb, width: 8, height: 8, .init(format: "JPEG", iccProfile: "srgb"))
        let plain = folder.path("plain.jpg")
        _ = try PillowImages.write(plain, width: 8, height: 8, .init(format: "JPEG"))
        let reader = try JPEGReader(path: p3)
        XCTAssertEqual(reader.colourProfile?.description, "Display P3")
        XCTAssertEqual(reader.info.warnings.count, 1)
        XCTAssertTrue(reader.info.warnings[0].hasPrefix(p3 + ": ") && reader.info.warnings[0].contains("not sRGB"))
        XCTAssertEqual(try JPEGReader(path: srgb).colourProfile?.looksLikeSRGB, true)
        XCTAssertEqual(try JPEGReader(path: srgb).info.warnings, [])
        XCTAssertNil(try JPEGReader(path: plain).colourProfile)
    }
}
