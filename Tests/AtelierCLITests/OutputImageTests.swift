@testable import AtelierCLI
import ImageIO
import TestSupport
import XCTest

/// The output's file kind follows its name: a tiled TIFF (several tiles, edge tiles clipped) or a PNG,
/// each read back sample for sample.
final class OutputImageTests: XCTestCase {
    private func raster() -> Raster {
        let (width, height) = (300, 20)
        let samples = (0..<(3 * width * height)).map { Float(($0 * 37) % 256) / 255 }
        return Raster(width: width, height: height, layout: .rgb, samples: samples)
    }

    func testTIFFAndPNGNamesRoundTrip() throws {
        let folder = try TemporaryDirectory()
        let image = raster()
        for name in ["out.tif", "out.TIFF", "out.png"] {
            let path = folder.path(name)
            try OutputImage.write(image, to: path)
            let back = try ImageFile.open(path).readAll()
            XCTAssertEqual([back.width, back.height], [300, 20], name)
            let levels = { (samples: [Float]) in samples.map { Int(($0 * 255).rounded()) } }
            XCTAssertTrue(levels(back.samples) == levels(image.samples), "\(name): the samples differ")
            let magic = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(2)
            XCTAssertEqual(magic == Data("II".utf8) || magic == Data("MM".utf8), name.lowercased().hasSuffix("tiff") || name.hasSuffix(".tif"), name)
        }
    }
}
