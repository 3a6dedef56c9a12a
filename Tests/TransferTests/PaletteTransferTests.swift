import Semantics
import Tensor
import TestSupport
import XCTest

@testable import Transfer

final class PaletteTransferTests: XCTestCase {
    /// Each content region takes the colour mean of the style's region with the same label, and
    /// its spread (within the clamp), measured in the opponent space the transfer works in.
    func testEachRegionTakesItsStyleRegionsColourStatistics() {
        var random = SeededRandom(seed: 31)
        let content = random.tensor(Shape(channels: 3, height: 12, width: 16), in: 0.3...0.7)
        let style = Tensor(Shape(channels: 3, height: 10, width: 10))
        // Style: label 0 (left) blue-ish, label 1 (right) orange-ish, with some texture.
        for y in 0..<10 {
            for x in 0..<10 {
                let jitter = random.float(in: -0.05...0.05)
                let colour: SIMD3<Float> = x < 5 ? SIMD3(0.1, 0.2, 0.8) : SIMD3(0.9, 0.5, 0.1)
                for c in 0..<3 { style[c, y, x] = colour[c] + jitter }
            }
        }
        let contentLabels = LabelMap(width: 16, height: 12, count: 2,
                                     labels: (0..<192).map { Int32(($0 / 16) < 6 ? 1 : 0) })
        let styleLabels = LabelMap(width: 10, height: 10, count: 2, labels: (0..<100).map { Int32($0 % 10 < 5 ? 0 : 1) })
        let result = PaletteTransfer.apply(content: content, style: style, labels: (contentLabels, styleLabels))

        let resultStats = PaletteTransfer.statistics(PaletteTransfer.opponent(result), labels: contentLabels.labels, count: 2)
        let styleStats = PaletteTransfer.statistics(PaletteTransfer.opponent(style), labels: styleLabels.labels, count: 2)
        for label in 0..<2 {
            for c in 0..<3 {
                XCTAssertEqual(resultStats[label].mean[c], styleStats[label].mean[c], accuracy: 2e-3, "label \(label) mean \(c)")
            }
            // Luminance spread: the style's (0.05 jitter) is inside the clamp of the content's.
            XCTAssertEqual(resultStats[label].spread[0], styleStats[label].spread[0], accuracy: 2e-3)
        }
        // The top rows (label 1) are orange: red above blue.
        XCTAssertGreaterThan(result[0, 0, 0], result[2, 0, 0])
        XCTAssertLessThan(result[0, 11, 0], result[2, 11, 0])
    }

    func testWithoutLabelsTheWholeImageTakesTheStylesStatisticsAndStaysInRange() {
        var random = SeededRandom(seed: 32)
        let content = random.tensor(Shape(channels: 3, height: 8, width: 8), in: 0...1)
        let style = random.tensor(Shape(channels: 3, height: 6, width: 9), in: 0.6...0.9)
        let result = PaletteTransfer.apply(content: content, style: style, labels: nil)
        XCTAssertTrue(result.array.allSatisfy { $0 >= 0 && $0 <= 1 })
        let everywhere = [Int32](repeating: 0, count: 64)
        let mean = PaletteTransfer.statistics(PaletteTransfer.opponent(result), labels: everywhere, count: 1)[0].mean
        let target = PaletteTransfer.statistics(PaletteTransfer.opponent(style), labels: [Int32](repeating: 0, count: 54),
                                                count: 1)[0].mean
        XCTAssertEqual(mean[0], target[0], accuracy: 0.02)
    }

    func testOpponentColoursInvertExactly() {
        let colour = SIMD3<Float>(0.2, 0.7, 0.4)
        let image = Tensor(Shape(channels: 3, height: 1, width: 1), values: [colour.x, colour.y, colour.z])
        let planes = PaletteTransfer.opponent(image)
        let back = PaletteTransfer.rgbFromOpponent(SIMD3(planes[0], planes[1], planes[2]))
        for c in 0..<3 { XCTAssertEqual(back[c], colour[c], accuracy: 1e-6) }
    }

    /// With lighting levels, a fully lit content pixel takes the style's lit colours and a fully
    /// shadowed one the shadowed colours, within one region; a pixel halfway takes the blend.
    func testLitAndShadowedPixelsTakeTheirOwnBandsColours() {
        var random = SeededRandom(seed: 33)
        let content = random.tensor(Shape(channels: 3, height: 8, width: 8), in: 0.4...0.6)
        let style = Tensor(Shape(channels: 3, height: 10, width: 10))
        let styleLight = Tensor(Shape(channels: 1, height: 10, width: 10))
        // Style: lit rows (top) yellow, shadowed rows (bottom) dark blue, one region.
        for y in 0..<10 {
            for x in 0..<10 {
                let lit = y < 5
                let colour: SIMD3<Float> = lit ? SIMD3(0.9, 0.8, 0.2) : SIMD3(0.1, 0.1, 0.4)
                for c in 0..<3 { style[c, y, x] = colour[c] + random.float(in: -0.02...0.02) }
                styleLight[0, y, x] = lit ? 1 : 0
            }
        }
        // Content: the left half lit, the right half shadowed, one column halfway.
        let contentLight = Tensor(Shape(channels: 1, height: 8, width: 8))
        for y in 0..<8 { for x in 0..<8 { contentLight[0, y, x] = x < 3 ? 1 : (x == 3 ? 0.5 : 0) } }
        let result = PaletteTransfer.apply(content: content, style: style, labels: nil,
                                           light: (content: contentLight, style: styleLight))
        func mean(_ xs: [Int], channel: Int) -> Float {
            var sum: Float = 0
            for y in 0..<8 { for x in xs { sum += result[channel, y, x] } }
            return sum / Float(8 * xs.count)
        }
        // Lit pixels are yellow (red high, blue low), shadowed pixels dark blue.
        XCTAssertEqual(mean([0, 1, 2], channel: 0), 0.9, accuracy: 0.05)
        XCTAssertEqual(mean([0, 1, 2], channel: 2), 0.2, accuracy: 0.05)
        XCTAssertEqual(mean([4, 5, 6, 7], channel: 0), 0.1, accuracy: 0.05)
        XCTAssertEqual(mean([4, 5, 6, 7], channel: 2), 0.4, accuracy: 0.05)
        // Halfway: between the two.
        XCTAssertEqual(mean([3], channel: 0), 0.5, accuracy: 0.1)
    }
}
