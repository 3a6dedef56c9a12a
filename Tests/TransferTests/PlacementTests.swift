import Semantics
import Tensor
import TestSupport
import Transfer
import XCTest

/// The paper's central claim, on cases where every pixel's region and lighting is known: the
/// deep semantic space puts each style region's paint in the matching content region (where
/// CNNMRF, matching on features alone, cannot tell alike regions apart), and puts bright style
/// where the content is lit. Real VGG-16, one small level each.
final class PlacementTests: XCTestCase {
    static let size = 64
    /// Pixels this close to a region's edge or the image's are not counted: a 3×3 patch at
    /// relu4_1 spans 24 pixels, so the edge itself is a blend.
    static let margin = 8

    /// The loss-alone settings (the claims of the loss itself), or the product's defaults (what a
    /// user gets, with the colour finish), at one level of `size`.
    private func settings(mode: TransferSettings.Mode, product: Bool = false) -> TransferSettings {
        var settings = product ? TransferSettings() : TransferSettings.lossAlone
        settings.mode = mode
        // One level: at 32 px a coarse level's features are mostly the network's zero padding, so
        // its matches follow position and the output copies the style's layout (measured: the
        // CNNMRF output came out red above, blue below, as the style is).
        settings.coarseSize = Self.size
        settings.iterations = [60]
        return settings
    }

    /// Is (x, y) at least `margin` from the image's edge and from the line x = size/2?
    private static func counted(_ x: Int, _ y: Int) -> Bool {
        let (s, m) = (size, margin)
        return x >= m && y >= m && x < s - m && y < s - m && abs(2 * x + 1 - s) >= 2 * m
    }

    /// Two content halves of the same grey texture, labelled 0 (left) and 1 (right); a style
    /// whose bottom half (label 0) is blue-ish and top half (label 1) red-ish. The maps, not the
    /// pictures, say that the left half is the blue kind.
    private static func alikeRegionsScene() -> SyntheticScene {
        let s = size
        let contentLabel = { (x: Int, _: Int) in x < s / 2 ? 0 : 1 }
        let styleLabel = { (_: Int, y: Int) in y < s / 2 ? 1 : 0 }
        let styleColours: [SIMD3<Float>] = [SIMD3(0.2, 0.35, 0.85), SIMD3(0.85, 0.3, 0.2)]
        return SyntheticScene(
            content: SyntheticScene.picture(
                size: s, seed: 1, colour: { _, _ in SIMD3(repeating: 0.5) }, amplitude: { _, _ in 0.2 }),
            style: SyntheticScene.picture(
                size: s, seed: 2, colour: { styleColours[styleLabel($0, $1)] }, amplitude: { _, _ in 0.12 }),
            contentMap: SyntheticScene.map(size: s, source: "content map", label: contentLabel),
            styleMap: SyntheticScene.map(size: s, source: "style map", label: styleLabel))
    }

    func testDeepSemanticSpacePutsEachStyleRegionInItsContentRegionAndCNNMRFDoesNot() throws {
        let (dss, mrf, report) = try regionPlacement(product: false)
        XCTAssertGreaterThanOrEqual(dss, 0.9, report)
        XCTAssertLessThanOrEqual(mrf, dss - 0.15, report)
    }

    /// The same claim with the defaults a user gets (palette start, priors, colour finish).
    /// CNNMRF's figure here is chance plus its coherent patches (measured 0.608 against the DSS's
    /// 1.000): its colour finish is global, so it has the painting's red and blue, half each, in
    /// blobs that fall where they will.
    func testWithTheProductDefaultsEachStyleRegionStillLandsInItsContentRegion() throws {
        let (dss, mrf, report) = try regionPlacement(product: true)
        XCTAssertGreaterThanOrEqual(dss, 0.95, report)
        XCTAssertLessThanOrEqual(mrf, dss - 0.3, report)
    }

    /// The fraction of counted pixels nearest their own region's style colour, dss and mrf.
    private func regionPlacement(product: Bool) throws -> (dss: Double, mrf: Double, report: String) {
        let scene = Self.alikeRegionsScene()
        let space = try scene.space()
        let vgg = try RealVGG.load(pooling: settings(mode: .dss).pooling)
        let s = Self.size
        let styleMeans = ColourPlacement.means(of: scene.style, regions: 2, in: .rgb) { _, y in y < s / 2 ? 1 : 0 }
        var fractions: [TransferSettings.Mode: Double] = [:]
        for mode in [TransferSettings.Mode.dss, .mrf] {
            let output = try StylizerRun.run(
                content: scene.content, style: scene.style, space: space, settings: settings(mode: mode, product: product),
                vgg: vgg, name: "placement-\(mode)\(product ? "-product" : "")", colourFinish: product)
            fractions[mode] = ColourPlacement.fraction(of: output, nearest: styleMeans, in: .rgb) { x, y in
                Self.counted(x, y) ? (x < s / 2 ? 0 : 1) : nil
            }
        }
        let dss = fractions[.dss]!, mrf = fractions[.mrf]!
        let report = String(format: "pixels in their region's colour: dss %.3f, mrf %.3f", dss, mrf)
        print("PlacementTests.alikeRegions\(product ? " (product defaults)" : ""): " + report)
        return (dss, mrf, report)
    }

    /// One grey material, lit on its right half (light 1) and in shadow on its left (0.25), one
    /// label: its texture's contrast falls with the light, as a real material's does. A style of
    /// one label whose top half is bright warm paint laid smooth and bottom half dark blue paint
    /// laid rough, so that matching on features alone would pair the lit, contrasted content with
    /// the dark, rough paint. Paint is told apart by chromaticity, so the content's own brightness
    /// counts for nothing.
    private static func lightScene() -> SyntheticScene {
        let s = size
        let light = { (x: Int, _: Int) -> Float in
            let t = min(max(Float(2 * x + 1 - s) / 12 + 0.5, 0), 1)
            return 0.25 + 0.75 * t * t * (3 - 2 * t)
        }
        let bright = SIMD3<Float>(0.95, 0.8, 0.55), dark = SIMD3<Float>(0.2, 0.25, 0.5)
        return SyntheticScene(
            content: SyntheticScene.picture(
                size: s, seed: 3, colour: { _, _ in SIMD3(repeating: 0.6) }, amplitude: { _, _ in 0.2 }, light: light),
            style: SyntheticScene.picture(
                size: s, seed: 4, colour: { _, y in y < s / 2 ? bright : dark },
                amplitude: { _, y in y < s / 2 ? 0.04 : 0.15 }),
            contentMap: SyntheticScene.map(size: s, source: "content map") { _, _ in 0 },
            styleMap: SyntheticScene.map(size: s, source: "style map") { _, _ in 0 })
    }

    func testIlluminationPutsBrightStyleWhereTheContentIsLit() throws {
        let (withLight, without, report) = try lightPlacement(product: false)
        XCTAssertGreaterThanOrEqual(withLight, 0.9, report)
        XCTAssertGreaterThanOrEqual(withLight, without + 0.15, report)
    }

    /// The same claim with the defaults a user gets: illumination (at its default weight) beats
    /// none by at least 0.1 of balanced accuracy.
    func testWithTheProductDefaultsIlluminationStillPutsBrightStyleWhereTheContentIsLit() throws {
        let (withLight, without, report) = try lightPlacement(product: true)
        XCTAssertGreaterThanOrEqual(withLight, without + 0.1, report)
    }

    /// Balanced accuracy (bright paint on lit, dark paint in shadow) with and without illumination.
    private func lightPlacement(product: Bool) throws -> (with: Double, without: Double, report: String) {
        let scene = Self.lightScene()
        let space = try scene.space()
        let vgg = try RealVGG.load(pooling: settings(mode: .dss).pooling)
        let s = Self.size
        // Region 0: the bright paint (style top, content lit right); 1: the dark paint.
        let styleMeans = ColourPlacement.means(of: scene.style, regions: 2, in: .chromaticity) { _, y in
            y < s / 2 ? 0 : 1
        }
        func placement(illuminationWeight: Float) throws -> (lit: Double, dark: Double) {
            var settings = settings(mode: .dss, product: product)
            settings.illuminationWeight = illuminationWeight
            let output = try StylizerRun.run(
                content: scene.content, style: scene.style, space: space, settings: settings, vgg: vgg,
                name: "illumination-\(illuminationWeight)\(product ? "-product" : "")", colourFinish: product)
            func part(_ lit: Bool) -> Double {
                ColourPlacement.fraction(of: output, nearest: styleMeans, in: .chromaticity) { x, y in
                    Self.counted(x, y) && (x >= s / 2) == lit ? (lit ? 0 : 1) : nil
                }
            }
            return (part(true), part(false))
        }
        let lighting = try placement(illuminationWeight: TransferSettings().illuminationWeight)
        let none = try placement(illuminationWeight: 0)
        let withLight = (lighting.lit + lighting.dark) / 2, without = (none.lit + none.dark) / 2
        let report = String(
            format: "bright paint on lit / dark paint in shadow: with illumination %.3f / %.3f, without %.3f / %.3f",
            lighting.lit, lighting.dark, none.lit, none.dark)
        print("PlacementTests.illumination\(product ? " (product defaults)" : ""): " + report)
        return (withLight, without, report)
    }
}
