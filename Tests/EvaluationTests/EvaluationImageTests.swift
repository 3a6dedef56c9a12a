import Foundation
import ImageIO
import Semantics
import Tensor
import TestSupport
import XCTest

@testable import Evaluation

final class EvaluationImageTests: XCTestCase {
    func testAnImageWithinTheLimitIsReadWhole() throws {
        let path = ExampleImages.path("chelsea.png")
        let image = try EvaluationImage.read(path)
        XCTAssertEqual(image.shape, Shape(channels: 3, height: 300, width: 451))
        XCTAssertEqual(image.array, try ImageFile.open(path).readAll().rgbTensor().array)
    }

    /// Above the limit the image is reduced by an integer factor, block means, streamed region
    /// by region: the same pixels as reducing the whole raster at once, from a PNG and from a
    /// striped TIFF of the same picture that Pillow writes.
    func testALargerImageIsReadReducedByBlockMeans() throws {
        let png = ExampleImages.path("chelsea.png")
        let expected = AreaDownsampling.downsample(try ImageFile.open(png).readAll(), factor: 3).rgbTensor()
        let reduced = try EvaluationImage.read(png, maximumSide: 200)
        XCTAssertEqual(reduced.shape, Shape(channels: 3, height: 100, width: 151))
        XCTAssertEqual(reduced.array, expected.array)

        let tiff = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-\(UUID()).tif").path
        defer { try? FileManager.default.removeItem(atPath: tiff) }
        try ReferenceTool.run(
            ReferenceTool.python,
            ["-c", "import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2])", png, tiff])
        XCTAssertEqual(try EvaluationImage.read(tiff, maximumSide: 200).array, expected.array)
    }

    func testAMissingFileIsAnErrorNamingIt() {
        XCTAssertThrowsError(try EvaluationImage.read("/nonexistent/output.png")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/output.png"), "\(error)")
        }
    }
}
