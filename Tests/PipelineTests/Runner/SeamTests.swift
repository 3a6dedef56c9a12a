import Foundation
import ImageIO
import Network
import Semantics
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

/// Issue 7's seam claim: a photo stylised with tiles and without (same settings otherwise) has,
/// along the tiled run's tile boundaries, a mean gradient across the boundary within 10% of the
/// untiled run's at the same lines. A visible seam is a step there (a larger gradient); a blend
/// that smears the two sides is a flat band (a smaller one). Real photo, real network: seams are
/// about what the pretrained features paint, which a random network does not.
///
/// The tiled run is also a little less textured on every line (L-BFGS restarts in each round),
/// by 6–9% depending on the search's trajectory, which is no seam. So the seam lines' ratio is
/// taken relative to the ratio over every line, and the whole image is held to 15% separately.
/// (Measured, 16 iterations: seam lines 0.944 / 0.893 raw, every line 0.915 / 0.907; with
/// session 3's search 1.056 / 0.947 raw, every line 0.936 / 0.928.)
final class SeamTests: XCTestCase {
    static let width = 256, height = 170

    func testTileBoundariesAreAsSmoothAsTheUntiledImageAtTheSameLines() throws {
        let content = try ImageFile.open(Self.example("chelsea.png")).readAll().rgbTensor()
        let style = try ImageFile.open(Self.example("starry_night.png")).readAll().rgbTensor()
        let inputs = MultiScaleStylizer.Inputs(content: content, style: style)
        var settings = StylizeSettings()
        settings.transfer.mode = .mrf  // patches on features alone: the automatic segmentation is not what is tested
        settings.transfer.coarseSize = Self.width  // one level, from the palette start: every iteration is tiled
        // 16 iterations, near the finest level's default 20: the tiled run restarts L-BFGS in each
        // round (4 + 4 iterations at 8 left the whole tiled image 9% less textured than the untiled
        // one on every line, not just at seams, and the seams measured 0.89); at 16 the gap is 6-9%.
        settings.transfer.iterations = [16]
        // Repainting weights: with the photo defaults (content 30, TV 300, chroma TV 30000) the
        // iterations change the photo only lightly; with these the picture is repainted in strokes.
        settings.transfer.contentWeight = 1
        settings.transfer.tvWeight = 10
        settings.transfer.chromaTVWeight = 0
        settings.tile.size = 128  // 2×2 tiles, then 3×2 shifted by 64
        settings.transfer.styleScale = 0.5  // a quarter of the style patches: the exact search is most of the time
        let vgg = try RealVGG.load(pooling: settings.transfer.pooling)

        var tiles: [Int] = []
        let tiled = try TiledStylizer(vgg: vgg, settings: settings).run(
            inputs, width: Self.width, height: Self.height, roundFinished: { tiles.append($0.tiles) })
        XCTAssertEqual(tiles, [4, 6], "two rounds of tiles")
        let plan = LevelPlan(
            width: Self.width, height: Self.height, transfer: settings.transfer, tile: settings.tile,
            alignment: try settings.geometry(of: vgg.architecture).alignment)
        let grids = plan.levels.last!.rounds.map(\.grid)
        var whole = settings
        whole.tile.size = 512
        let untiled = try TiledStylizer(vgg: vgg, settings: whole).run(inputs, width: Self.width, height: Self.height)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-seams")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try PNGFile.write(Raster.rgb(tiled), to: folder.appendingPathComponent("tiled.png").path)
        try PNGFile.write(Raster.rgb(untiled), to: folder.appendingPathComponent("untiled.png").path)

        let columns = Set(grids.flatMap { $0.columnSpans.dropFirst().map(\.lowerBound) }).sorted()
        let rows = Set(grids.flatMap { $0.rowSpans.dropFirst().map(\.lowerBound) }).sorted()
        XCTAssertEqual(columns, [64, 128, 192])
        XCTAssertEqual(rows, [64, 128])
        let horizontal = (tiled: Seams.acrossColumns(tiled, columns), untiled: Seams.acrossColumns(untiled, columns))
        let vertical = (tiled: Seams.acrossRows(tiled, rows), untiled: Seams.acrossRows(untiled, rows))
        let everywhere = (
            x: Seams.acrossColumns(tiled, Array(1..<Self.width)) / Seams.acrossColumns(untiled, Array(1..<Self.width)),
            y: Seams.acrossRows(tiled, Array(1..<Self.height)) / Seams.acrossRows(untiled, Array(1..<Self.height)))
        // The tiled run is a little less textured everywhere (L-BFGS restarts each round): the
        // baseline the seam lines' ratios compare with.
        print(String(format: "seams: ratio over every line: |dx| %.3f, |dy| %.3f", everywhere.x, everywhere.y))
        print(
            String(
                format:
                    "seams: |dx| at x=%@: tiled %.4f untiled %.4f ratio %.3f; |dy| at y=%@: tiled %.4f untiled %.4f "
                    + "ratio %.3f; images in %@", "\(columns)", horizontal.tiled, horizontal.untiled,
                horizontal.tiled / horizontal.untiled, "\(rows)", vertical.tiled, vertical.untiled,
                vertical.tiled / vertical.untiled, folder.path))
        XCTAssertGreaterThan(
            Seams.difference(tiled, untiled), 0, "the tiles changed nothing: the test would prove nothing")
        XCTAssertEqual(
            horizontal.tiled / horizontal.untiled / everywhere.x, 1, accuracy: 0.1,
            "horizontal gradient across vertical seams, against every line's")
        XCTAssertEqual(
            vertical.tiled / vertical.untiled / everywhere.y, 1, accuracy: 0.1,
            "vertical gradient across horizontal seams, against every line's")
        XCTAssertEqual(everywhere.x, 1, accuracy: 0.15, "horizontal gradient over the whole tiled image")
        XCTAssertEqual(everywhere.y, 1, accuracy: 0.15, "vertical gradient over the whole tiled image")
    }

    /// The measurement itself, against a hand-computed image: a step of 0.5 in one channel at x = 2.
    func testTheSeamMeasureIsTheMeanChannelSumOfTheStepAcrossTheLine() {
        let image = Tensor(channels: 3, height: 2, width: 4)
        for y in 0..<2 {
            for x in 2..<4 { image[1, y, x] = 0.5 }
        }
        image[0, 1, 2] = 0.25  // one row also steps in red
        XCTAssertEqual(Seams.acrossColumns(image, [2]), (0.5 + 0.75) / 2, accuracy: 1e-6)
        XCTAssertEqual(Seams.acrossColumns(image, [1]), 0, accuracy: 1e-6)
        XCTAssertEqual(Seams.acrossColumns(image, [3]), 0.25 / 2, accuracy: 1e-6)  // red falls back after x = 2
        XCTAssertEqual(Seams.acrossRows(image, [1]), 0.25 / 4, accuracy: 1e-6)
    }

    private static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }
}

/// Gradients across lines of an image: the mean over the line's pixels of |x[p] − x[p − 1]|
/// summed over channels.
enum Seams {
    /// Across the vertical lines between columns b − 1 and b, for every b in `columns`.
    static func acrossColumns(_ image: Tensor, _ columns: [Int]) -> Double {
        var sum = 0.0
        for b in columns {
            for y in 0..<image.height {
                for c in 0..<image.channels { sum += Double(abs(image[c, y, b] - image[c, y, b - 1])) }
            }
        }
        return sum / Double(columns.count * image.height)
    }

    /// Across the horizontal lines between rows b − 1 and b, for every b in `rows`.
    static func acrossRows(_ image: Tensor, _ rows: [Int]) -> Double {
        var sum = 0.0
        for b in rows {
            for x in 0..<image.width {
                for c in 0..<image.channels { sum += Double(abs(image[c, b, x] - image[c, b - 1, x])) }
            }
        }
        return sum / Double(rows.count * image.width)
    }

    /// The largest difference of two images of one shape.
    static func difference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.array, b.array).map { abs($0 - $1) }.max() ?? 0
    }
}
