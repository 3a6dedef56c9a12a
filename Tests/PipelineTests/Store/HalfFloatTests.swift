import Foundation
import XCTest

@testable import Pipeline

final class HalfFloatTests: XCTestCase {
    /// Every one of the 65536 half patterns decodes to the value Swift's own `Float16` gives.
    func testDecodingAllPatternsMatchesSwiftFloat16() {
        for pattern in 0...UInt16.max {
            let reference = Float(Float16(bitPattern: pattern))
            let value = HalfFloat.value(of: pattern)
            if reference.isNaN {
                XCTAssertTrue(value.isNaN, "\(pattern)")
            } else {
                XCTAssertEqual(value.bitPattern, reference.bitPattern, "pattern \(String(pattern, radix: 16))")
            }
        }
    }

    /// Encoding matches Swift's `Float16(Float)` (round to nearest, ties to even) on a sweep of
    /// over a million Float patterns of both signs and on the hard cases: ties, the subnormal
    /// range, the edge of the range and overflow.
    func testEncodingMatchesSwiftFloat16OnASweepAndTheEdges() {
        var failures = 0
        func check(_ value: Float) {
            let bits = HalfFloat.bits(from: value)
            if value.isNaN {
                if !Float16(bitPattern: bits).isNaN { failures += 1 }
                return
            }
            let expected = Float16(value).bitPattern
            if bits != expected {
                failures += 1
                if failures < 10 { XCTFail("\(value): \(String(bits, radix: 16)) ≠ \(String(expected, radix: 16))") }
            }
        }
        var pattern: UInt32 = 0
        while true {
            check(Float(bitPattern: pattern))
            let (next, overflow) = pattern.addingReportingOverflow(4093)
            if overflow { break }
            pattern = next
        }
        let tiny = Float(sign: .plus, exponent: -24, significand: 1)  // the smallest half subnormal
        var edges: [Float] = [
            0, 65504, 65519.99, 65520, 65536, 1e10, .infinity, .nan, .greatestFiniteMagnitude,
            tiny, tiny / 2, tiny * 1.5, tiny * 2.5, tiny * 0.5000001, 6.1035156e-05, 6.097555e-05,
            1 + 1.0 / 2048, 1 + 3.0 / 2048, 1 + 1.0 / 4096, .leastNonzeroMagnitude, 0.1, 1.0 / 3, 0.99999,
        ]
        edges += edges.map { -$0 }
        for step in 0..<4096 { edges.append(Float(step) / 4095) }  // the [0, 1] range of pixels
        for value in edges { check(value) }
        XCTAssertEqual(failures, 0)
        // Values worked out by hand: overflow to infinity, ties to even, the subnormal floor.
        XCTAssertEqual(HalfFloat.bits(from: 65520), 0x7C00)
        XCTAssertEqual(HalfFloat.bits(from: 65519.99), 0x7BFF)
        XCTAssertEqual(HalfFloat.bits(from: tiny / 2), 0x0000)
        XCTAssertEqual(HalfFloat.bits(from: tiny * 1.5), 0x0002)
        XCTAssertEqual(HalfFloat.bits(from: -tiny * 2.5), 0x8002)
        XCTAssertEqual(HalfFloat.bits(from: 1 + 1.0 / 2048), 0x3C00)
        XCTAssertEqual(HalfFloat.bits(from: 1 + 3.0 / 2048), 0x3C02)
        XCTAssertEqual(HalfFloat.bits(from: -.nan) & 0x8000, 0x8000)
    }

    /// What Float16 storage does to pixels in [0, 1] once they are written as 8-bit or 16-bit
    /// samples (round(255 v), round(65535 v)): measured, and bounded by the format's half-step.
    func testErrorInOutputTermsIsBelowOneEightBitStep() {
        let count = 1 << 20
        var changed8 = 0
        var worst8 = 0
        var worst16 = 0
        var worst: Float = 0
        for index in 0...count {
            let value = Float(index) / Float(count)
            let stored = HalfFloat.value(of: HalfFloat.bits(from: value))
            worst = max(worst, abs(stored - value))
            let difference8 = abs(Int((255 * value).rounded()) - Int((255 * stored).rounded()))
            if difference8 != 0 { changed8 += 1 }
            worst8 = max(worst8, difference8)
            worst16 = max(worst16, abs(Int((65535 * value).rounded()) - Int((65535 * stored).rounded())))
        }
        print(
            "Float16 on [0,1]: max error \(worst), 8-bit: max \(worst8) step(s), \(changed8) of \(count + 1) samples"
                + " changed; 16-bit: max \(worst16) steps")
        XCTAssertLessThanOrEqual(worst, 1.0 / 4096)  // half of 2⁻¹¹, the spacing of halves in [0.5, 1]
        XCTAssertLessThanOrEqual(worst8, 1)
        XCTAssertLessThanOrEqual(worst16, 17)
    }
}
