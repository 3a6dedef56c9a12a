import ImageIO
import Tensor
import TestSupport
import XCTest

/// The Exif parser against hand-built structures in both byte orders, and against damaged and
/// random ones (which must read as upright, never trap).
final class ExifOrientationTests: XCTestCase {
    /// A TIFF structure whose IFD0 holds `entries` (tag, type, count, value) and nothing else.
    private func exif(bigEndian: Bool, entries: [(UInt16, UInt16, UInt32, UInt16)]) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] {
            bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
        }
        func u32(_ v: UInt32) -> [UInt8] {
            let (high, low) = (u16(UInt16(v >> 16)), u16(UInt16(v & 0xFFFF)))
            return bigEndian ? high + low : low + high
        }
        var bytes: [UInt8] = Array((bigEndian ? "MM" : "II").utf8) + u16(42) + u32(8) + u16(UInt16(entries.count))
        for (tag, type, count, value) in entries { bytes += u16(tag) + u16(type) + u32(count) + u16(value) + [0, 0] }
        return bytes + [0, 0, 0, 0]
    }

    func testOrientationIsFoundInEitherByteOrderAmongOtherTags() {
        for bigEndian in [false, true] {
            for value in 1...8 {
                let bytes = exif(bigEndian: bigEndian, entries: [(0x010F, 2, 4, 0), (0x0112, 3, 1, UInt16(value))])
                XCTAssertEqual(ExifOrientation.read(exif: bytes).rawValue, value)
                XCTAssertEqual(ExifOrientation.read(exif: Array("Exif\0\0".utf8) + bytes).rawValue, value)
            }
        }
    }

    func testDamagedAndOutOfRangeStructuresReadAsUpright() {
        let good = exif(bigEndian: false, entries: [(0x0112, 3, 1, 6)])
        XCTAssertEqual(ExifOrientation.read(exif: good), .rotate90Clockwise)
        XCTAssertEqual(ExifOrientation.read(exif: exif(bigEndian: false, entries: [(0x0112, 3, 1, 9)])), .upright)
        XCTAssertEqual(ExifOrientation.read(exif: exif(bigEndian: false, entries: [(0x0112, 4, 1, 6)])), .upright)
        XCTAssertEqual(ExifOrientation.read(exif: []), .upright)
        // The entry's value ends at byte 20 (header 8, count 2, tag, type, count, then 2 bytes).
        for length in 0..<good.count {  // every truncation
            let orientation = ExifOrientation.read(exif: Array(good.prefix(length)))
            XCTAssertEqual(orientation, length >= 20 ? .rotate90Clockwise : .upright, "\(length)")
        }
        var lying = exif(bigEndian: false, entries: [(0x0100, 3, 1, 6)])
        lying[8] = 0xFF  // 65535 entries claimed, one present, no orientation among them
        lying[9] = 0xFF
        XCTAssertEqual(ExifOrientation.read(exif: lying), .upright)
        var farIFD = good
        farIFD[4...7] = [0xFF, 0xFF, 0xFF, 0x7F]
        XCTAssertEqual(ExifOrientation.read(exif: farIFD), .upright)
        var generator = SplitMix64(seed: 9)
        for _ in 0..<2000 {
            var bytes = good
            for _ in 0..<3 {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = ExifOrientation.read(exif: bytes)  // any value, no trap
        }
    }

    /// Each orientation applied to a 3×2 raster of distinct values, against a plain statement of
    /// where each stored pixel goes.
    func testApplyMovesEveryPixelWhereExifSays() {
        let stored = Raster(width: 3, height: 2, layout: .gray, samples: [0, 1, 2, 3, 4, 5].map { Float($0) })
        let expected: [ExifOrientation: (width: Int, values: [Float])] = [
            .upright: (3, [0, 1, 2, 3, 4, 5]), .mirrorHorizontal: (3, [2, 1, 0, 5, 4, 3]),
            .rotate180: (3, [5, 4, 3, 2, 1, 0]), .mirrorVertical: (3, [3, 4, 5, 0, 1, 2]),
            .transpose: (2, [0, 3, 1, 4, 2, 5]), .rotate90Clockwise: (2, [3, 0, 4, 1, 5, 2]),
            .transverse: (2, [5, 2, 4, 1, 3, 0]), .rotate90CounterClockwise: (2, [2, 5, 1, 4, 0, 3]),
        ]
        for orientation in ExifOrientation.allCases {
            let turned = orientation.apply(to: stored)
            XCTAssertEqual(turned.width, expected[orientation]!.width, "\(orientation)")
            XCTAssertEqual(turned.samples, expected[orientation]!.values, "\(orientation)")
        }
    }
}
