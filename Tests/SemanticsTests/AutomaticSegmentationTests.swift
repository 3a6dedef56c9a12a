import Semantics
import Tensor
import TestSupport
import XCTest

/// The joint automatic segmentation: label k must mean the same in the content and the style.
final class AutomaticSegmentationTests: XCTestCase {
    private let sky: SIMD3<Float> = [0.35, 0.55, 0.9], sand: SIMD3<Float> = [0.9, 0.8, 0.5]

    /// An image of sky and sand with a little noise, the sky where `isSky(x, y)` holds.
    private func picture(width: Int, height: Int, seed: UInt64, isSky: (Int, Int) -> Bool) -> Tensor {
        var random = SeededRandom(seed: seed)
        let image = Tensor(channels: 3, height: height, width: width)
        for y in 0..<height {
            for x in 0..<width {
                let colour = isSky(x, y) ? sky : sand
                for c in 0..<3 { image[c, y, x] = colour[c] + random.float(in: -0.04...0.04) }
            }
        }
        return image
    }

    /// Content: sky on the left 70%. Style (another size): sky at the bottom 30%. The two
    /// clusters are sky and sand in both, whatever their place and share of each image.
    private func pair() -> (content: Tensor, style: Tensor) {
        (
            picture(width: 80, height: 60, seed: 1) { x, _ in x < 56 },
            picture(width: 50, height: 70, seed: 2) { _, y in y >= 49 }
        )
    }

    func testLabelKCoversTheSameColourInContentAndStyle() {
        let (content, style) = pair()
        let labels = AutomaticSegmentation(k: 2, seed: 3).labels(content: content, style: style)
        XCTAssertEqual(labels.content.count, 2)
        XCTAssertEqual(labels.content.width, 80)
        XCTAssertEqual(labels.style.height, 70)
        let skyLabel = labels.content[x: 10, y: 30]
        XCTAssertNotEqual(labels.content[x: 70, y: 30], skyLabel)
        XCTAssertTrue(isUniform(labels.content, skyLabel) { x, _ in x < 56 }, "content sky and sand are one label each")
        XCTAssertTrue(
            isUniform(labels.style, skyLabel) { _, y in y >= 49 }, "the style's sky has the content sky's label")
    }

    /// With deep features (here 4 channels at a quarter of the size, saying which material a pixel
    /// is) the clusters still follow the materials, and the features are resampled to fit.
    func testFeaturesOfAnotherSizeJoinTheClustering() {
        let (content, style) = pair()
        func features(_ image: Tensor) -> Tensor {
            let small = Tensor(channels: 4, height: image.height / 4, width: image.width / 4)
            for y in 0..<small.height {
                for x in 0..<small.width {
                    let isSky = image[2, y * 4 + 2, x * 4 + 2] > 0.7
                    small[isSky ? 0 : 1, y, x] = 1
                }
            }
            return small
        }
        let labels = AutomaticSegmentation(k: 2, seed: 3).labels(
            content: content, style: style, contentFeatures: features(content), styleFeatures: features(style))
        let skyLabel = labels.content[x: 10, y: 30]
        XCTAssertEqual(labels.style[x: 25, y: 65], skyLabel)
        XCTAssertNotEqual(labels.style[x: 25, y: 10], skyLabel)
    }

    func testTheSameSeedGivesTheSameLabels() {
        var random = SeededRandom(seed: 9)
        let noise = random.tensor(Shape(channels: 3, height: 40, width: 40), in: 0...1)
        let first = AutomaticSegmentation(k: 5, seed: 11).labels(image: noise)
        let second = AutomaticSegmentation(k: 5, seed: 11).labels(image: noise)
        XCTAssertEqual(first, second)
        XCTAssertGreaterThan(first.count, 1)
    }

    /// Whether every pixel where `inside` holds (away from the border by 3 pixels) has `label`, and
    /// every pixel where it does not has another label.
    private func isUniform(_ map: LabelMap, _ label: Int, _ inside: (Int, Int) -> Bool) -> Bool {
        for y in 0..<map.height {
            for x in 0..<map.width {
                let near = (-3...3).contains { d in inside(x + d, y) != inside(x, y) || inside(x, y + d) != inside(x, y)
                }
                if near { continue }
                if (map[x: x, y: y] == label) != inside(x, y) { return false }
            }
        }
        return true
    }
}
