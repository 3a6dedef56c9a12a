import Foundation
import XCTest

@testable import Evaluation

final class CIELABTests: XCTestCase {
    /// Published L*a*b* (D65, 2°) of the sRGB primaries, white and mid-grey, as Bruce Lindbloom's
    /// and EasyRGB's calculators give them.
    func testPrimariesWhiteAndGreyMatchPublishedValues() {
        let published: [(rgb: SIMD3<Double>, lab: SIMD3<Double>)] = [
            ([1, 0, 0], [53.2408, 80.0925, 67.2032]),
            ([0, 1, 0], [87.7347, -86.1827, 83.1793]),
            ([0, 0, 1], [32.2970, 79.1875, -107.8602]),
            ([1, 1, 1], [100, 0, 0]),
            ([128.0 / 255, 128.0 / 255, 128.0 / 255], [53.5850, 0, 0]),
            ([0, 0, 0], [0, 0, 0]),
        ]
        for (rgb, expected) in published {
            let lab = CIELAB.lab(fromSRGB: rgb)
            for channel in 0..<3 {
                XCTAssertEqual(lab[channel], expected[channel], accuracy: 0.002, "\(rgb) channel \(channel): \(lab)")
            }
        }
    }

    /// Against a naive Float64 reference written from the CIE definitions in their other form
    /// (L* = κ·Y below ε, and the XYZ matrix as nested arrays), on random colours.
    func testAgreesWithANaiveReferenceOnRandomColours() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let rgb = SIMD3<Double>(
                Double.random(in: 0...1, using: &random), Double.random(in: 0...1, using: &random),
                Double.random(in: 0...1, using: &random))
            let lab = CIELAB.lab(fromSRGB: rgb)
            let expected = naiveLab(rgb)
            for channel in 0..<3 {
                XCTAssertEqual(lab[channel], expected[channel], accuracy: 1e-9, "\(rgb)")
            }
        }
        // The dark end, where the linear segments of both sRGB and f(t) apply.
        for level in [0.0, 0.001, 0.01, 0.03, 0.04045, 0.05] {
            let lab = CIELAB.lab(fromSRGB: [level, level * 0.5, level * 0.25])
            let expected = naiveLab([level, level * 0.5, level * 0.25])
            for channel in 0..<3 { XCTAssertEqual(lab[channel], expected[channel], accuracy: 1e-9) }
        }
    }

    private func naiveLab(_ srgb: SIMD3<Double>) -> [Double] {
        let matrix: [[Double]] = [
            [0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041],
        ]
        let white = [0.95047, 1.0, 1.08883]
        let linear = (0..<3).map { i -> Double in
            let v = srgb[i]
            return v > 0.04045 ? pow((v + 0.055) / 1.055, 2.4) : v / 12.92
        }
        let xyz = matrix.map { row in (0..<3).reduce(0.0) { $0 + row[$1] * linear[$1] } }
        let epsilon = 0.008856451679035631, kappa = 903.2962962962963
        let r = (0..<3).map { xyz[$0] / white[$0] }
        let f = r.map { $0 > epsilon ? pow($0, 1.0 / 3) : (kappa * $0 + 16) / 116 }
        let lightness = r[1] > epsilon ? 116 * pow(r[1], 1.0 / 3) - 16 : kappa * r[1]
        return [lightness, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])]
    }
}
