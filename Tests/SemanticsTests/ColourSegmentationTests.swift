import ImageIO
import Semantics
import XCTest

/// Segmentation from colour-coded maps, on the real hand-painted maps (anti-aliased, hundreds of
/// colours) and on small synthetic ones.
final class ColourSegmentationTests: XCTestCase {
    private let segmentation = ColourSegmentation()
    private let monetColours: Set<SIMD3<Int>> = [
        [255, 255, 255], [255, 51, 31], [0, 0, 255], [0, 255, 0], [192, 0, 0],
    ]

    private func size(_ map: GuideMap) -> PixelSize { PixelSize(width: map.raster.width, height: map.raster.height) }

    /// The regions one counts by eye: Monet 5 (sky, sea, rock, shadowed rock, grass), Gogh 6
    /// (background, coat, face, hair, brows, eyes: the brows and the grey eyes are small, and
    /// rarer than some border blends, yet are found).
    func testFindsTheRegionsOfTheShippedMaps() throws {
        let monet = try SemanticsFixtures.map("style/Monet_sem.png")
        let monetLabels = try segmentation.labels(map: monet, size: size(monet))
        XCTAssertEqual(monetLabels.count, 5)
        XCTAssertEqual(Set(monetLabels.palette!.map(\.eightBit)), monetColours)
        let gogh = try SemanticsFixtures.map("style/Gogh_sem.png")
        let goghLabels = try segmentation.labels(map: gogh, size: size(gogh))
        XCTAssertEqual(goghLabels.count, 6)
        XCTAssertTrue(goghLabels.palette!.map(\.eightBit).contains([191, 191, 191]), "the eyes")
        XCTAssertTrue(goghLabels.palette!.map(\.eightBit).contains([192, 255, 0]), "the brows")
    }

    /// Content and style maps that share their colours (Coastline and Monet, 5 regions each):
    /// 5 shared labels, every pixel labelled, each label's colour the colour of its region in both
    /// maps, and every anti-aliased border pixel in one of the regions next to it.
    func testLabelsOfAMatchingPairAreSharedByColour() throws {
        let content = try SemanticsFixtures.map("content/Coastline_sem.png")
        let style = try SemanticsFixtures.map("style/Monet_sem.png")
        let labels = try segmentation.labels(
            contentMap: content, styleMap: style, contentSize: size(content), styleSize: size(style))
        XCTAssertEqual(labels.content.count, 5)
        XCTAssertEqual(labels.content.palette, labels.style.palette)
        XCTAssertEqual(Set(labels.content.palette!.map(\.eightBit)), monetColours)
        for (map, labelMap) in [(content, labels.content), (style, labels.style)] {
            XCTAssertEqual(labelMap.labels.count, map.raster.width * map.raster.height)
            XCTAssertTrue(labelMap.areas.allSatisfy { $0 > 0 }, "every label is used in \(map.source)")
            checkLabelsFollowTheMap(map.raster, labelMap)
        }
    }

    /// A pixel of a region colour has that region's label; any other (border) pixel has the label
    /// of a region found within 4 pixels of it (Monet_sem.png has a 2-pixel streak of a colour of
    /// its own between the sea and the grass, whose far pixels are 3 to 4 pixels from either).
    private func checkLabelsFollowTheMap(
        _ raster: Raster, _ labels: LabelMap, file: StaticString = #filePath, line: UInt = #line
    ) {
        let palette = labels.palette!.map(\.eightBit)
        var borderPixels = 0, strayBorderPixels = 0, wrongRegionPixels = 0
        for y in 0..<raster.height {
            for x in 0..<raster.width {
                let colour = SemanticsFixtures.colour8(raster, x: x, y: y)
                let label = labels[x: x, y: y]
                if let region = palette.firstIndex(of: colour) {
                    if region != label { wrongRegionPixels += 1 }
                    continue
                }
                borderPixels += 1
                var nearby = Set<SIMD3<Int>>()
                for ny in max(0, y - 4)...min(raster.height - 1, y + 4) {
                    for nx in max(0, x - 4)...min(raster.width - 1, x + 4) {
                        nearby.insert(SemanticsFixtures.colour8(raster, x: nx, y: ny))
                    }
                }
                if !nearby.contains(palette[label]) { strayBorderPixels += 1 }
            }
        }
        XCTAssertEqual(
            wrongRegionPixels, 0, "region-coloured pixels labelled as another region", file: file, line: line)
        XCTAssertGreaterThan(borderPixels, 500, "the map should have anti-aliased borders", file: file, line: line)
        XCTAssertEqual(strayBorderPixels, 0, "border pixels given a region not next to them", file: file, line: line)
    }

    /// A red–blue border blend lies nearer in colour to dark red than to red or blue; it must still
    /// go to red or blue, the regions it lies between.
    func testABorderBlendGoesToANeighbourNotToTheNearestColour() throws {
        let red: SIMD3<Float> = [1, 0, 0], blue: SIMD3<Float> = [0, 0, 1], darkRed: SIMD3<Float> = [192.0 / 255, 0, 0]
        let blend: SIMD3<Float> = [128.0 / 255, 26.0 / 255, 143.0 / 255]
        let raster = SemanticsFixtures.raster(width: 30, height: 20) { x, _ in
            x < 10 ? darkRed : x < 20 ? red : x == 20 ? blend : blue
        }
        let labels = try segmentation.labels(
            map: GuideMap(raster, source: "blend"), size: PixelSize(width: 30, height: 20))
        let palette = labels.palette!.map(\.eightBit)
        XCTAssertEqual(labels.count, 3)
        for y in 0..<20 {
            XCTAssertTrue([red.eightBit, blue.eightBit].contains(palette[labels[x: 20, y: y]]), "row \(y)")
        }
    }

    func testMapsThatShareNoColourAreAnErrorNamingBoth() {
        let content = SemanticsFixtures.raster(width: 20, height: 20) { x, _ in x < 10 ? [1, 0, 0] : [0, 1, 0] }
        let style = SemanticsFixtures.raster(width: 20, height: 20) { _, y in y < 10 ? [0, 0, 1] : [1, 1, 0] }
        let size = PixelSize(width: 20, height: 20)
        XCTAssertThrowsError(
            try segmentation.labels(
                contentMap: GuideMap(content, source: "c.png"), styleMap: GuideMap(style, source: "s.png"),
                contentSize: size, styleSize: size)
        ) { error in
            XCTAssertEqual(error as? SemanticsError, .noSharedColours(contentMap: "c.png", styleMap: "s.png"))
            XCTAssertTrue(String(describing: error).hasPrefix("c.png and s.png share no region colour"))
        }
    }

    /// A colour in one map only keeps a label of its own, after the shared ones.
    func testAColourInOneMapOnlyGetsItsOwnLabelAfterTheShared() throws {
        let content = SemanticsFixtures.raster(width: 30, height: 20) { x, _ in x < 15 ? [1, 0, 0] : [0, 1, 0] }
        let style = SemanticsFixtures.raster(width: 30, height: 20) { x, _ in
            x < 10 ? [0, 1, 0] : x < 20 ? [0, 0, 1] : [1, 0, 0]
        }
        let size = PixelSize(width: 30, height: 20)
        let labels = try segmentation.labels(
            contentMap: GuideMap(content, source: "c"), styleMap: GuideMap(style, source: "s"),
            contentSize: size, styleSize: size)
        XCTAssertEqual(labels.content.count, 3)
        XCTAssertEqual(labels.content.palette![2], [0, 0, 1], "blue, in the style only, comes last")
        XCTAssertEqual(labels.content.areas[2], 0)
        XCTAssertEqual(labels.style[x: 0, y: 0], labels.content[x: 20, y: 0], "green is one label in both")
        XCTAssertEqual(labels.style[x: 25, y: 0], labels.content[x: 0, y: 0], "red is one label in both")
    }

    /// A map of another size than its image is resampled by nearest neighbour: labels stay labels.
    func testAMapOfAnotherSizeIsResampledByNearestNeighbour() throws {
        let colours: [SIMD3<Float>] = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]
        let map = SemanticsFixtures.raster(width: 20, height: 16) { x, y in colours[(x / 10) + 2 * (y / 8)] }
        let small = try segmentation.labels(map: GuideMap(map, source: "m"), size: PixelSize(width: 20, height: 16))
        let large = try segmentation.labels(map: GuideMap(map, source: "m"), size: PixelSize(width: 50, height: 37))
        XCTAssertEqual(large.width, 50)
        XCTAssertEqual(large.height, 37)
        var mismatches = 0
        for y in 0..<37 {
            for x in 0..<50 {
                let sx = Int((Double(x) + 0.5) * 20 / 50), sy = Int((Double(y) + 0.5) * 16 / 37)
                if large[x: x, y: y] != small[x: sx, y: sy] { mismatches += 1 }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testAMapWithNoSolidRegionIsAnError() {
        // Every pixel a different colour: a gradient, not a colour-coded map.
        let gradient = SemanticsFixtures.raster(width: 16, height: 16) { x, y in [Float(x) / 15, Float(y) / 15, 0.5] }
        XCTAssertThrowsError(
            try segmentation.labels(map: GuideMap(gradient, source: "g.png"), size: PixelSize(width: 16, height: 16))
        ) {
            XCTAssertEqual($0 as? SemanticsError, .notColourCoded(map: "g.png"))
        }
    }
}
