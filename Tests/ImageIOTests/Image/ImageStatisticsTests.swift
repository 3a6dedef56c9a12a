import ImageIO
import TestSupport
import XCTest

final class ImageStatisticsTests: XCTestCase {
    func testStatisticsMatchNumpyExactly() throws {
        let folder = try TemporaryDirectory()
        for (channels, bits, options) in [(3, 8, "tile=(32, 32), compression='zlib'"), (2, 16, "rowsperstrip=3")] {
            let path = folder.path("stats-\(channels).tif")
            _ = try ReferenceImages.tifffile(
                path, width: 77, height: 50, channels: channels, bits: bits, seed: 4, options: options)
            let statistics = try ImageStatistics.compute(TIFFReader(path: path))
            let numpy = try ReferenceImages.numpyStatistics(path)
            XCTAssertEqual(numpy.count, channels)
            for (ours, reference) in zip(statistics, numpy) {
                XCTAssertEqual(ours.minimum, reference.min)
                XCTAssertEqual(ours.maximum, reference.max)
                XCTAssertEqual(ours.mean, reference.mean, accuracy: 1e-9 * reference.mean)
            }
        }
    }
}
