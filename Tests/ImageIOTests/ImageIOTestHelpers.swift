import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

/// A deterministic raster with every sample drawn from a fixed-seed generator at `bitDepth`,
/// so any lost bit or swapped channel shows.
func patternRaster(width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth, seed: UInt64 = 7) -> Raster {
    var generator = SplitMix64(seed: seed)
    let count = width * height * layout.channelCount
    switch bitDepth {
    case .eight:
        let values = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        return Raster(interleaved8: values, width: width, height: height, layout: layout)
    case .sixteen:
        let values = (0..<count).map { _ in UInt16(truncatingIfNeeded: generator.next()) }
        return Raster(interleaved16: values, width: width, height: height, layout: layout)
    }
}

/// Writes a pattern PNG into `folder` and opens it as an image source.
func patternPNGSource(
    in folder: TemporaryDirectory, width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth = .eight
) throws -> (source: any ImageSource, raster: Raster) {
    let path = folder.path("pattern-\(width)x\(height).png")
    let raster = patternRaster(width: width, height: height, layout: layout, bitDepth: bitDepth)
    try PNGFile.write(raster, to: path)
    return (try ImageFile.open(path), raster)
}

/// Asserts that `raster` holds exactly the reference pixels (same size, channels, depth, bytes).
func assertPixels(
    _ raster: Raster, equal expected: ReferenceImages.Pixels, _ message: String = "", file: StaticString = #filePath,
    line: UInt = #line
) {
    XCTAssertEqual(raster.width, expected.width, "width \(message)", file: file, line: line)
    XCTAssertEqual(raster.height, expected.height, "height \(message)", file: file, line: line)
    XCTAssertEqual(raster.channelCount, expected.channels, "channels \(message)", file: file, line: line)
    XCTAssertEqual(raster.bitDepth.rawValue, expected.bits, "bits \(message)", file: file, line: line)
    if expected.bits == 8 {
        XCTAssertTrue(
            raster.interleaved8() == expected.samples8, "8-bit pixels differ \(message)", file: file, line: line)
    } else {
        XCTAssertTrue(
            raster.interleaved16() == expected.samples16, "16-bit pixels differ \(message)", file: file, line: line)
    }
}

/// Asserts that opening and reading `path` fails with a `.decode` error naming it (whether the
/// header, the storage check or the decode finds the damage).
func assertDecodeError(_ path: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try ImageFile.open(path).readAll(), path, file: file, line: line) { error in
        guard case .decode(let errorPath, _) = error as? ImageIOError else {
            return XCTFail("\(path): \(error)", file: file, line: line)
        }
        XCTAssertEqual(errorPath, path, file: file, line: line)
    }
}
