import ImageIO
import Semantics
import Tensor
import TestSupport
import XCTest

/// The DSS groups at a layer's size, and the building of a pair's DSS from the user's maps.
final class DeepSemanticSpaceTests: XCTestCase {
    /// A 30×20 map of 4 labels in vertical stripes of uneven widths.
    private func stripes() -> LabelMap {
        let bounds = [7, 15, 22, 30]
        let labels = (0..<(30 * 20)).map { index in Int32(bounds.firstIndex { index % 30 < $0 }!) }
        return LabelMap(width: 30, height: 20, count: 4, labels: labels)
    }

    /// Area downsampling keeps a one-hot stack a partition of unity: each layer pixel holds the
    /// fraction of its footprint each label covers. The same holds for (L, 1 − L).
    func testGroupsAtALayerSizeKeepOneHotSums() {
        var random = SeededRandom(seed: 4)
        let level = random.tensor(Shape(channels: 1, height: 20, width: 30), in: 0...1)
        let stack = SemanticStack(segmentation: stripes(), illumination: level)
        let groups = stack.groups(height: 5, width: 7)
        XCTAssertEqual(
            groups.map(\.shape), [Shape(channels: 4, height: 5, width: 7), Shape(channels: 2, height: 5, width: 7)])
        for group in groups {
            for y in 0..<5 {
                for x in 0..<7 {
                    let sum = (0..<group.channels).reduce(Float(0)) { $0 + group[$1, y, x] }
                    XCTAssertEqual(sum, 1, accuracy: 1e-5, "\(group.shape) at (\(x), \(y))")
                }
            }
        }
        // Layer column 0 covers image columns 0..<30/7 ≈ 4.3, all label 0; column 1 covers
        // 4.3..<8.6: 7 − 4.3 of label 0 and 8.6 − 7 of label 1.
        XCTAssertEqual(groups[0][0, 2, 0], 1, accuracy: 1e-5)
        XCTAssertEqual(groups[0][0, 2, 1], (7 - 30.0 / 7) / (30.0 / 7), accuracy: 1e-4)
        XCTAssertEqual(groups[0][1, 2, 1], (60.0 / 7 - 7) / (30.0 / 7), accuracy: 1e-4)
    }

    /// A group with weight 0 is dropped, and the weights of the others come in the groups' order.
    func testKeepingDropsGroupsOfWeightZero() {
        let level = Tensor(channels: 1, height: 20, width: 30)
        let space = DeepSemanticSpace(segmentation: (stripes(), stripes()), illumination: (level, level))
        XCTAssertEqual(space.groups, [.segmentation, .illumination])
        let kept = space.keeping(segmentationWeight: 2, illuminationWeight: 0)
        XCTAssertEqual(kept.space.groups, [.segmentation])
        XCTAssertEqual(kept.weights, [2])
        XCTAssertEqual(kept.space.style.groups(height: 10, width: 15).map(\.channels), [4])
        XCTAssertEqual(space.keeping(segmentationWeight: 0, illuminationWeight: 0.5).weights, [0.5])
    }

    func testAMapWithoutItsPartnerIsAnError() throws {
        let image = Tensor(channels: 3, height: 20, width: 30)
        let map = GuideMap(
            SemanticsFixtures.raster(width: 30, height: 20) { _, _ in [1, 0, 0] }, source: "style_sem.png")
        XCTAssertThrowsError(try DeepSemanticSpace(content: image, style: image, guides: .init(styleMap: map))) {
            error in
            XCTAssertEqual(
                error as? SemanticsError, .missingPartnerMap(given: "style_sem.png", role: .style, kind: .segmentation))
            XCTAssertEqual(
                String(describing: error),
                "style_sem.png is a style segmentation map but the content has none: give both or neither")
        }
        XCTAssertThrowsError(try DeepSemanticSpace(content: image, style: image, guides: .init(contentLight: map))) {
            XCTAssertEqual(
                $0 as? SemanticsError, .missingPartnerMap(given: "style_sem.png", role: .content, kind: .lighting))
        }
    }

    /// From the shipped maps: the segmentation follows them at each image's size (resampled), and
    /// the lighting is estimated from the images.
    func testBuildsThePairFromTheShippedMaps() throws {
        let content = Tensor(channels: 3, height: 96, width: 128), style = Tensor(channels: 3, height: 192, width: 256)
        let guides = DeepSemanticSpace.Guides(
            contentMap: try SemanticsFixtures.map("content/Coastline_sem.png"),
            styleMap: try SemanticsFixtures.map("style/Monet_sem.png"))
        let space = try DeepSemanticSpace(content: content, style: style, guides: guides)
        XCTAssertEqual(space.groups, [.segmentation, .illumination])
        XCTAssertEqual(
            space.content.groups(height: 96, width: 128).map(\.shape),
            [
                Shape(channels: 5, height: 96, width: 128), Shape(channels: 2, height: 96, width: 128),
            ])
        XCTAssertEqual(space.style.segmentation?.width, 256)
        // Top-left is sky (white) in both maps.
        XCTAssertEqual(space.content.segmentation?[x: 100, y: 2], space.style.segmentation?[x: 100, y: 2])
    }
}
