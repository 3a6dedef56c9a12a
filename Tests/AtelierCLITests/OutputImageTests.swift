import ImageIO
import TestSupport
import XCTest

@testable import AtelierCLI

/// The output's file kind follows its name: PNG, JPEG, WebP, or TIFF (plain strips when small,
/// tiled with a pyramid when asked), each read back; an unknown extension is a usage error.
final class OutputImageTests: XCTestCase {
    private func raster() -> Raster {
        let (width, height) = (300, 20)
        let samples = (0..<(3 * width * height)).map { Float(($0 * 37) % 256) / 255 }
        return Raster(width: width, height: height, layout: .rgb, samples: samples)
    }

    func testEveryExtensionWritesItsFormat() throws {
        let folder = try TemporaryDirectory()
        let image = raster()
        let expected: [(String, ImageInfo.Format, Bool)] = [
            ("out.tif", .tiff, true), ("out.TIFF", .tiff, true), ("out.png", .png, true), ("out.webp", .webp, false),
            ("out.JPG", .jpeg, false), ("out.jpeg", .jpeg, false),
        ]
        for (name, format, lossless) in expected {
            let path = folder.path(name)
            try OutputImage.write(image, to: path, options: .init(quality: lossless ? nil : 100))
            let source = try ImageFile.open(path)
            XCTAssertEqual(source.info.format, format, name)
            let back = try source.readAll()
            XCTAssertEqual([back.width, back.height], [300, 20], name)
            let levels = { (samples: [Float]) in samples.map { Int(($0 * 255).rounded()) } }
            let webpLossless = format == .webp  // quality 100 is lossless WebP
            if lossless || webpLossless {
                XCTAssertTrue(levels(back.samples) == levels(image.samples), "\(name): the samples differ")
            }
        }
    }

    func testATIFFIsTiledOnlyWhenAsked() throws {
        let folder = try TemporaryDirectory()
        let plain = folder.path("plain.tif"), tiled = folder.path("tiled.tif")
        try OutputImage.write(raster(), to: plain)
        try OutputImage.write(raster(), to: tiled, options: .init(tiled: true))
        XCTAssertEqual(try ImageFile.open(plain).info.format, .tiff)
        XCTAssertEqual(try ImageFile.open(tiled).info.format, .bigTIFF)
        XCTAssertEqual(try ImageFile.open(tiled).info.tiling, .tiles(width: 256, height: 256))
    }

    func testAnUnknownExtensionIsAUsageErrorNamingIt() {
        XCTAssertThrowsError(try OutputImage.write(raster(), to: "/tmp/out.gif")) { error in
            XCTAssertTrue(error is UsageError, "\(error)")
            XCTAssertEqual(
                "\(error)",
                "/tmp/out.gif: unknown output extension \".gif\"; use one of .png, .jpg, .jpeg, .webp, .tif, .tiff")
        }
        XCTAssertEqual(
            OutputImage.warnings(output: "o.jpg", contentBitDepth: .sixteen, contentHasAlpha: true).count, 2)
        XCTAssertEqual(OutputImage.warnings(output: "o.webp", contentBitDepth: .eight, contentHasAlpha: true), [])
        XCTAssertEqual(OutputImage.warnings(output: "o.png", contentBitDepth: .sixteen, contentHasAlpha: true), [])
    }
}

extension OutputImageTests {
    func testSizesAFormatCannotHoldAreRefusedUpFront() throws {
        XCTAssertNoThrow(try OutputImage.check(.webp, path: "o.webp", width: 16383, height: 100))
        XCTAssertThrowsError(try OutputImage.check(.webp, path: "o.webp", width: 16384, height: 100)) { error in
            XCTAssertTrue(error is UsageError)
            XCTAssertTrue("\(error)".hasPrefix("o.webp: a 16384x100 output is above the 16383-pixel side limit"))
        }
        XCTAssertThrowsError(try OutputImage.check(.jpeg, path: "o.jpg", width: 65501, height: 10))
        XCTAssertThrowsError(try OutputImage.check(.png, path: "o.png", width: 16384, height: 16384)) { error in
            XCTAssertTrue("\(error)".contains("(encoded in memory)"), "\(error)")
        }
        XCTAssertNoThrow(try OutputImage.check(.tiff, path: "o.tif", width: 65536, height: 65536))
    }
}
