import Tensor
import XCTest

@testable import Transfer

/// The colour finish: region by region for drawn maps, over the whole image for automatic regions.
final class ColourFinishTests: XCTestCase {
    /// Content: left half region 0, right half region 1, both mid grey with noise. Style: region 0
    /// red, region 1 blue, region 1 three times region 0's area.
    private func inputs(drawn: Bool) -> MultiScaleStylizer.Inputs {
        var random = SplitMix64(seed: 9)
        let content = Tensor(Shape(channels: 3, height: 16, width: 16))
        for i in 0..<content.count { content[flat: i] = 0.5 + 0.1 * Float(random.nextNormal()) }
        let style = Tensor(Shape(channels: 3, height: 16, width: 16))
        let contentRegions = Tensor(Shape(channels: 2, height: 16, width: 16))
        let styleRegions = Tensor(Shape(channels: 2, height: 16, width: 16))
        for y in 0..<16 {
            for x in 0..<16 {
                contentRegions[x < 8 ? 0 : 1, y, x] = 1
                let region = x < 4 ? 0 : 1
                styleRegions[region, y, x] = 1
                let colour: SIMD3<Float> = region == 0 ? [0.9, 0.1, 0.1] : [0.1, 0.1, 0.9]
                for c in 0..<3 { style[c, y, x] = colour[c] }
            }
        }
        var inputs = MultiScaleStylizer.Inputs(
            content: content, style: style, contentSemantics: [contentRegions], styleSemantics: [styleRegions],
            semanticWeights: [1], segmentationGroup: 0)
        inputs.regionsAreDrawn = drawn
        return inputs
    }

    func testDrawnRegionsEachTakeTheirOwnStyleRegionsColours() {
        var settings = TransferSettings()
        settings.contentWeight = 0  // no smoothing: the change goes in whole
        let finished = inputs(drawn: true).colourFinish(inputs(drawn: true).content, settings: settings)
        for y in 0..<16 {
            for x in 0..<16 {
                XCTAssertEqual(finished[0, y, x], x < 8 ? 0.9 : 0.1, accuracy: 0.05, "red at (\(x), \(y))")
                XCTAssertEqual(finished[2, y, x], x < 8 ? 0.1 : 0.9, accuracy: 0.05, "blue at (\(x), \(y))")
            }
        }
    }

    func testAutomaticRegionsTakeTheWholePaintingsPalette() {
        var settings = TransferSettings()
        settings.contentWeight = 0
        let finished = inputs(drawn: false).colourFinish(inputs(drawn: false).content, settings: settings)
        // The whole palette, in the painting's proportions: a quarter red, three quarters blue,
        // whatever the content's regions.
        var red = 0, blue = 0
        for y in 0..<16 {
            for x in 0..<16 {
                if finished[0, y, x] > 0.5 && finished[2, y, x] < 0.5 { red += 1 }
                if finished[2, y, x] > 0.5 && finished[0, y, x] < 0.5 { blue += 1 }
            }
        }
        XCTAssertEqual(Double(red) / 256, 0.25, accuracy: 0.05)
        XCTAssertEqual(Double(blue) / 256, 0.75, accuracy: 0.05)
    }
}
