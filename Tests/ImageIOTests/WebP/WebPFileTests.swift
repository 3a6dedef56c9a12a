import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

/// WebP against Pillow: lossless files read exactly (RGB and RGBA), lossy ones as Pillow decodes
/// them, orientations 6 and 8 turned, our files read by Pillow, damaged files refused.
final class WebPFileTests: XCTestCase {
    func testPillowsLosslessWebPReadsExactlyWithAndWithoutAlpha() throws {
        let folder = try TemporaryDirectory()
        for channels in [3, 4] {
            let path = folder.path("lossless-\(channels).webp")
            let written = try PillowImages.write(
                path, width: 33, height: 21, .init(format: "WEBP", channels: channels, quality: 100, lossless: true))
            let source = try ImageFile.open(path)
            XCTAssertEqual(source.info.format, .webp)
            XCTAssertEqual(source.info.compression, "webp (lossless)")
            XCTAssertEqual(source.info.layout, channels == 4 ? .rgba : .rgb)
            XCTAssertTrue(try source.readAll().interleaved8() == written.source.samples, path)
        }
    }

    func testPillowsLossyWebPReadsAsPillowDecodesIt() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("lossy.webp")
        let written = try PillowImages.write(path, width: 40, height: 30, .init(format: "WEBP", quality: 80))
        let raster = try ImageFile.open(path).readAll()
        XCTAssertEqual(try ImageFile.open(path).info.compression, "webp (lossy)")
        let difference = zip(raster.interleaved8(), written.decoded.samples).map { abs(Int($0) - Int($1)) }.max()
        XCTAssertLessThanOrEqual(difference ?? 99, 1)
    }

    /// Orientation 6 is a quarter turn clockwise, 8 counter-clockwise: checked exactly against
    /// numpy's own rotation of the saved array (lossless, so every pixel must match).
    func testExifOrientationsSixAndEightTurnTheRightWay() throws {
        let folder = try TemporaryDirectory()
        for orientation in [6, 8] {
            let path = folder.path("turned-\(orientation).webp")
            let written = try PillowImages.write(
                path, width: 6, height: 4,
                .init(format: "WEBP", quality: 100, lossless: true, orientation: orientation))
            let raster = try ImageFile.open(path).readAll()
            XCTAssertEqual([raster.width, raster.height], [4, 6])
            let stored = Raster(interleaved8: written.source.samples, width: 6, height: 4, layout: .rgb)
            for y in 0..<6 {
                for x in 0..<4 {
                    // Clockwise: the displayed top-left is the stored bottom-left.
                    let (sx, sy) = orientation == 6 ? (y, 3 - x) : (5 - y, x)
                    for channel in 0..<3 {
                        XCTAssertEqual(raster[x, y, channel], stored[sx, sy, channel], "\(orientation) at \(x),\(y)")
                    }
                }
            }
            XCTAssertTrue(raster.interleaved8() == written.decoded.samples, "Pillow's exif_transpose agrees")
        }
    }

    func testOurWebPIsReadByPillowLosslessAtQuality100() throws {
        let folder = try TemporaryDirectory()
        let rgba = patternRaster(width: 19, height: 13, layout: .rgba, bitDepth: .eight)
        let lossless = folder.path("ours-lossless.webp")
        try WebPFile.write(rgba, to: lossless, quality: 100)
        let pillow = try PillowImages.read(lossless)
        XCTAssertEqual([pillow.width, pillow.height, pillow.channels], [19, 13, 4])
        // libwebp may rewrite the colour of fully transparent pixels; compare the visible ones.
        let ours = rgba.interleaved8()
        for pixel in 0..<(19 * 13) where ours[pixel * 4 + 3] != 0 {
            XCTAssertEqual(Array(pillow.samples[pixel * 4..<pixel * 4 + 4]), Array(ours[pixel * 4..<pixel * 4 + 4]))
        }
        let smooth = try PillowImages.write(folder.path("seed.webp"), width: 48, height: 32, .init(format: "WEBP"))
        let raster = Raster(interleaved8: smooth.source.samples, width: 48, height: 32, layout: .rgb)
        let lossy = folder.path("ours-lossy.webp")
        try WebPFile.write(raster, to: lossy)
        let back = try PillowImages.read(lossy)
        XCTAssertEqual([back.width, back.height, back.channels], [48, 32, 3])
        let mean =
            Double(zip(back.samples, raster.interleaved8()).map { abs(Int($0) - Int($1)) }.reduce(0, +))
            / Double(back.samples.count)
        XCTAssertLessThan(mean, 4)
        XCTAssertGreaterThan(mean, 0, "quality 90 is lossy")
        // A grey raster is written as RGB (WebP has no grey), each channel the grey.
        let grey = patternRaster(width: 5, height: 4, layout: .gray, bitDepth: .eight)
        try WebPFile.write(grey, to: folder.path("grey.webp"), quality: 100)
        let greyBack = try ImageFile.open(folder.path("grey.webp")).readAll()
        XCTAssertEqual(greyBack.layout, .rgb)
        XCTAssertEqual(Array(greyBack.samples[greyBack.planeRange(2)]), grey.samples)
    }

    func testTruncatedAndGarbageWebPsAreDecodeErrorsNamingTheFile() throws {
        let folder = try TemporaryDirectory()
        let whole = folder.path("whole.webp")
        _ = try PillowImages.write(whole, width: 40, height: 30, .init(format: "WEBP", quality: 80))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        // A well-formed container around a VP8 chunk of random bytes.
        var generator = SplitMix64(seed: 5)
        let payload = (0..<280).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        func littleEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let chunk = Array("VP8 ".utf8) + littleEndian(payload.count) + payload
        let garbage = Array("RIFF".utf8) + littleEndian(4 + chunk.count) + Array("WEBP".utf8) + chunk
        for (name, data) in [("half.webp", bytes.prefix(bytes.count / 2)), ("garbage.webp", Data(garbage))] {
            let path = folder.path(name)
            try data.write(to: URL(fileURLWithPath: path))
            assertDecodeError(path)
        }
    }

    func testSidesAboveWebPsLimitAreRefusedBeforeEncoding() throws {
        let folder = try TemporaryDirectory()
        let wide = Raster(width: 16384, height: 1, layout: .rgb)
        XCTAssertThrowsError(try WebPFile.write(wide, to: folder.path("wide.webp"))) { error in
            XCTAssertTrue("\(error)".contains("16383"), "\(error)")
        }
    }
}
