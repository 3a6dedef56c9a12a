import Foundation
import Tensor
import XCTest

@testable import Semantics

/// The lighting level: a scene with a lit half and a shadowed half under fine texture.
final class IlluminationTests: XCTestCase {
    private let width = 256, height = 96
    private let edge = 128

    /// Grey RGB: luminance 0.8 left of the edge, 0.2 right of it, times a ±25% checkerboard of
    /// 2-pixel squares (the texture of a surface, which is not lighting).
    private func scene() -> Tensor {
        let image = Tensor(channels: 3, height: height, width: width)
        for y in 0..<height {
            for x in 0..<width {
                let light: Float = x < edge ? 0.8 : 0.2
                let texture: Float = ((x / 2 + y / 2) % 2 == 0) ? 1.25 : 0.75
                for c in 0..<3 { image[c, y, x] = light * texture }
            }
        }
        return image
    }

    /// The 10%–90% width, in pixels, of the step along the middle row of a 1×H×W profile that
    /// falls from the left plateau to the right one.
    private func stepWidth(_ plane: [Float]) -> Int {
        let row = Array(plane[(height / 2) * width..<(height / 2 + 1) * width])
        let high = row[8..<40].reduce(0, +) / 32, low = row[(width - 40)..<(width - 8)].reduce(0, +) / 32
        let upper = low + 0.9 * (high - low), lower = low + 0.1 * (high - low)
        let start = row.firstIndex { $0 < upper }!, end = row.firstIndex { $0 < lower }!
        return end - start
    }

    func testLitSideIsHighShadowedSideLowTextureGoneEdgeSharp() {
        let illumination = Illumination()
        let level = illumination.estimate(scene())
        XCTAssertEqual(level.shape, Shape(channels: 1, height: height, width: width))
        let values = level.array
        func region(_ columns: Range<Int>) -> [Float] {
            (8..<(height - 8)).flatMap { y in columns.map { values[y * width + $0] } }
        }
        let lit = region(16..<100), shadowed = region(156..<240)
        XCTAssertGreaterThan(lit.min()!, 0.65, "the lit side is high")
        XCTAssertLessThan(shadowed.max()!, 0.35, "the shadowed side is low")
        // The checkerboard changes luminance by ±25%; what is left of it must be a small ripple.
        XCTAssertLessThan(standardDeviation(lit), 0.03, "texture smoothed out on the lit side")
        XCTAssertLessThan(standardDeviation(shadowed), 0.03, "texture smoothed out on the shadowed side")

        // A Gaussian blur of the same scale leaves a step 2.56σ wide (10%–90%).
        let radius = Int((Float(width) * illumination.radiusFraction).rounded())
        let blurred = gaussianBlur(Illumination.logLuminance(scene()), sigma: Float(radius))
        let ours = stepWidth(values), gaussian = stepWidth(blurred.values)
        XCTAssertGreaterThan(gaussian, 2 * radius, "the reference blur should be wide")
        XCTAssertLessThan(
            ours * 2, gaussian, "our edge (\(ours) px) should stay far sharper than a blur's (\(gaussian) px)")
    }

    /// Soft ranks spread a smooth range of lighting over 0…1, evenly (the extremes stay a little
    /// inside: values within the level tolerance of them count half).
    func testNormalisedLevelsSpreadOverZeroToOne() {
        let grey = Tensor(channels: 1, height: 32, width: 200)
        for y in 0..<32 { for x in 0..<200 { grey[0, y, x] = 0.05 + 0.9 * Float(x) / 199 } }
        let values = Illumination().normalise(grey: grey).array.sorted()
        XCTAssertLessThan(values.first!, 0.1)
        XCTAssertGreaterThan(values.last!, 0.9)
        for quartile in [0.25, 0.5, 0.75] as [Float] {
            XCTAssertEqual(values[Int(quartile * Float(values.count))], quartile, accuracy: 0.05)
        }
        // The level does not depend on the lighting's absolute brightness: ranks, not values.
        let darker = Tensor(grey.shape, values: grey.array.map { $0 * 0.3 })
        let darkerValues = Illumination().normalise(grey: darker).array.sorted()
        XCTAssertEqual(darkerValues[values.count / 4], values[values.count / 4], accuracy: 0.02)
    }

    /// A uniformly lit image has one level, 0.5, however noisy its last bits are.
    func testAFlatImageHasOneLevel() {
        let grey = Tensor(channels: 1, height: 20, width: 20)
        for i in 0..<grey.count { grey[flat: i] = 0.5 + Float(i % 7) * 1e-4 }
        let values = Illumination().normalise(grey: grey).array
        XCTAssertEqual(values.min()!, 0.5, accuracy: 0.02)
        XCTAssertEqual(values.max()!, 0.5, accuracy: 0.02)
    }

    func testEncodingIsLevelAndItsComplement() {
        let level = Tensor(Shape(channels: 1, height: 2, width: 3), values: [0, 0.25, 0.5, 0.75, 1, 0.1])
        let encoded = Illumination.encode(level)
        XCTAssertEqual(encoded.shape, Shape(channels: 2, height: 2, width: 3))
        XCTAssertEqual(Array(encoded.array[0..<6]), level.array)
        XCTAssertEqual(Array(encoded.array[6..<12]), level.array.map { 1 - $0 })
    }

    func testBoxMeanAveragesTheWindowCutAtTheBorders() {
        let plane = Plane(width: 5, height: 1, values: [1, 2, 3, 4, 5])
        XCTAssertEqual(plane.boxMean(radius: 1).values, [1.5, 2, 3, 4, 4.5])
    }

    private func standardDeviation(_ values: [Float]) -> Float {
        let mean = values.reduce(0, +) / Float(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)).squareRoot()
    }

    /// A separable Gaussian blur (borders clamped): the reference smoother.
    private func gaussianBlur(_ plane: Plane, sigma: Float) -> Plane {
        let reach = Int(3 * sigma)
        let kernel = (-reach...reach).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        func blur(_ values: [Float], along horizontal: Bool) -> [Float] {
            var out = values
            for y in 0..<plane.height {
                for x in 0..<plane.width {
                    var sum: Float = 0
                    for (k, offset) in (-reach...reach).enumerated() {
                        let sx = horizontal ? min(max(x + offset, 0), plane.width - 1) : x
                        let sy = horizontal ? y : min(max(y + offset, 0), plane.height - 1)
                        sum += kernel[k] * values[sy * plane.width + sx]
                    }
                    out[y * plane.width + x] = sum / total
                }
            }
            return out
        }
        return Plane(
            width: plane.width, height: plane.height, values: blur(blur(plane.values, along: true), along: false))
    }
}
