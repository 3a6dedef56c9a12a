import Foundation
import ImageIO
import Semantics
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

final class ContentSemanticsTests: XCTestCase {
    private let example = Fixtures.projectRoot.appendingPathComponent("Examples")
    private var contentPath: String { example.appendingPathComponent("Monet.png").path }

    /// A 128×96 random style and its path-independent settings (coarse levels so that the
    /// schedule has several).
    private func styleAndSettings() -> (Tensor, TransferSettings) {
        var random = SeededRandom(seed: 2)
        var settings = TransferSettings()
        settings.coarseSize = 96
        return (random.tensor(Shape(channels: 3, height: 96, width: 128), in: 0...1), settings)
    }

    /// Stand-in deep features (any C×h×w map works for the clustering): the image at a quarter.
    private func features(_ image: Tensor) -> Tensor {
        let small = Tensor(channels: 3, height: max(1, image.height / 4), width: max(1, image.width / 4))
        Resample.area(image, into: small)
        return small
    }

    /// The whole-image path of the command line: the DSS of the images in memory, then each
    /// level's groups by `MultiScaleStylizer.content(of:at:)`.
    private func wholeImageInputs(
        style: Tensor, guides: DeepSemanticSpace.Guides, settings: TransferSettings, withFeatures: Bool
    ) throws -> MultiScaleStylizer.Inputs {
        let content = try ImageFile.open(contentPath).readAll().rgbTensor()
        let space = try DeepSemanticSpace(
            content: content, style: style, guides: guides,
            features: withFeatures ? (features(content), features(style)) : nil,
            automaticSegmentation: AutomaticSegmentation(k: settings.segments, seed: settings.seed))
        return MultiScaleStylizer.Inputs(content: content, style: style, space: space, settings: settings)
    }

    /// The streamed semantics of the Monet content and the whole-image inputs made the same way.
    private func streamedAndWhole(
        guides: DeepSemanticSpace.Guides = .init(), workingSide: Int = 1024, withFeatures: Bool
    ) throws -> (ContentSemantics, MultiScaleStylizer.Inputs, TransferSettings) {
        let (style, settings) = styleAndSettings()
        let semantics = try ContentSemantics(
            content: try ImageFile.open(contentPath), style: style, guides: guides, settings: settings,
            workingSide: workingSide, features: withFeatures ? features : nil)
        let inputs = try wholeImageInputs(style: style, guides: guides, settings: settings, withFeatures: withFeatures)
        return (semantics, inputs, settings)
    }

    /// Every schedule level and a few other sizes: rectangles of the streamed groups equal the
    /// same crops of the whole-image groups.
    private func assertLevelsEqual(
        _ semantics: ContentSemantics, _ inputs: MultiScaleStylizer.Inputs, settings: TransferSettings,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(semantics.styleSemantics.map(\.array), inputs.styleSemantics.map(\.array), file: file, line: line)
        XCTAssertEqual(semantics.semanticWeights, inputs.semanticWeights, file: file, line: line)
        var sizes = MultiScaleSchedule(width: 512, height: 384, settings: settings).levels.map { ($0.width, $0.height) }
        sizes += [(77, 53), (700, 500)]
        XCTAssertGreaterThan(sizes.count, 3)
        XCTAssertEqual(inputs.contentSemantics.count, 2, file: file, line: line)
        for (width, height) in sizes {
            let whole = inputs.contentSemantics.map {
                MultiScaleStylizer.resized($0, width: width, height: height, kind: .area)
            }
            let level = semantics.level(width: width, height: height)
            for rect in [PixelRect(width: width, height: height),
                         PixelRect(x: width / 3, y: height / 5, width: width / 2, height: height / 3 + 1)] {
                let streamed = level.groups(of: rect)
                XCTAssertEqual(streamed.count, whole.count, file: file, line: line)
                for (part, group) in zip(streamed, whole) {
                    XCTAssertEqual(part.array, group.cropped(to: rect).array, "\(width)x\(height) \(rect)",
                                   file: file, line: line)
                }
            }
        }
    }

    /// A user label map (nearest-resampled region by region) and the estimated illumination give
    /// the whole-image path's groups exactly.
    func testLabelMapGroupsEqualTheWholeImagePath() throws {
        let guides = DeepSemanticSpace.Guides(
            contentMap: try GuideMap(contentsOf: example.appendingPathComponent("Monet_sem.png").path),
            styleMap: try GuideMap(contentsOf: example.appendingPathComponent("Coastline_sem.png").path))
        let (semantics, inputs, settings) = try streamedAndWhole(guides: guides, withFeatures: false)
        XCTAssertEqual(semantics.groupChannels.count, 2)
        assertLevelsEqual(semantics, inputs, settings: settings)
    }

    /// Without maps and a content within the working side, the automatic segmentation and the
    /// illumination run on the content itself: the whole-image path's groups exactly.
    func testAutomaticGroupsEqualTheWholeImagePathForASmallContent() throws {
        let (semantics, inputs, settings) = try streamedAndWhole(workingSide: 512, withFeatures: true)
        assertLevelsEqual(semantics, inputs, settings: settings)
    }

    /// A content larger than the working side is segmented and lit on a half-size copy: the
    /// illumination is still exact here (the estimate works at 256 either way, and the copy is that
    /// very area average), the labels agree with the whole-image ones on most pixels (they differ
    /// along region borders and where the clustering's input differs by rounding).
    func testAutomaticGroupsFromADownsampledCopyAreCloseToTheWholeImagePath() throws {
        let (semantics, inputs, _) = try streamedAndWhole(workingSide: 256, withFeatures: true)
        let streamed = semantics.level(width: 512, height: 384).groups(of: PixelRect(width: 512, height: 384))
        XCTAssertEqual(streamed[1].array, inputs.contentSemantics[1].array)
        let (ours, theirs) = (streamed[0], inputs.contentSemantics[0])
        XCTAssertEqual(ours.channels, theirs.channels)
        var agreeing = 0
        for y in 0..<384 {
            for x in 0..<512 where (0..<ours.channels).allSatisfy({ ours[$0, y, x] == theirs[$0, y, x] }) {
                agreeing += 1
            }
        }
        let fraction = Double(agreeing) / Double(512 * 384)
        print("ContentSemanticsTests: labels agree on \(fraction) of the pixels")
        XCTAssertGreaterThan(fraction, 0.85)
    }

    /// Maps that share no colour, or a map without its partner, are one-line errors naming the maps.
    func testBadLabelMapsGiveClearErrors() throws {
        let folder = try TemporaryDirectory()
        func map(_ name: String, _ colours: [(Float, Float, Float)]) throws -> GuideMap {
            var raster = Raster(width: 40, height: 30, layout: .rgb)
            for y in 0..<30 {
                for x in 0..<40 {
                    let colour = colours[x < 20 ? 0 : 1]
                    (raster[x, y, 0], raster[x, y, 1], raster[x, y, 2]) = colour
                }
            }
            let path = folder.path(name)
            try PNGFile.write(raster, to: path)
            return try GuideMap(contentsOf: path)
        }
        let contentMap = try map("content_sem.png", [(1, 0, 0), (0, 1, 0)])
        let styleMap = try map("style_sem.png", [(0, 0, 1), (1, 1, 0)])
        let (style, settings) = styleAndSettings()
        let content = try ImageFile.open(contentPath)
        XCTAssertThrowsError(try ContentSemantics(
            content: content, style: style, guides: .init(contentMap: contentMap, styleMap: styleMap),
            settings: settings)
        ) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("content_sem.png") && text.contains("style_sem.png"), text)
            XCTAssertFalse(text.contains("\n"))
        }
        XCTAssertThrowsError(try ContentSemantics(
            content: content, style: style, guides: .init(contentMap: contentMap), settings: settings)
        ) { error in
            XCTAssertTrue(String(describing: error).contains("content_sem.png"), String(describing: error))
        }
    }
}
