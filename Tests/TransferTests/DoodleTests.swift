import ImageIO
import Semantics
import Tensor
import TestSupport
import Transfer
import XCTest

/// Neural Doodle with the deep semantic space: Monet's painting, painted into the layout of the
/// Coastline doodle (the content is the map itself, with no content loss). Every region of the
/// doodle must come out in the colours of the same region of Monet.
final class DoodleTests: XCTestCase {
    static let width = 96, height = 72
    /// Pixels whose label differs within this radius are left out: region edges are blends.
    static let edgeRadius = 2

    private static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    func testEveryDoodleRegionTakesTheColoursOfTheSameMonetRegion() throws {
        let contentMap = try GuideMap(contentsOf: Self.example("Coastline_sem.png"))
        let styleMap = try GuideMap(contentsOf: Self.example("Monet_sem.png"))
        let monet = try ImageFile.open(Self.example("Monet.png")).readAll().rgbTensor()
        let doodle = Tensor(channels: 3, height: Self.height, width: Self.width)
        Resample.forward(contentMap.raster.rgbTensor(), into: doodle, kind: .area)
        let space = try DeepSemanticSpace(
            content: doodle, style: monet, guides: DeepSemanticSpace.Guides(contentMap: contentMap, styleMap: styleMap))

        var settings = TransferSettings.lossAlone
        settings.contentWeight = 0
        settings.coarseSize = Self.width
        settings.iterations = [60]
        // relu2_1 joins the default layers here: relu3_1 and relu4_1 alone hardly see a region's
        // mean colour, so the map's own saturated colours stayed (measured at 96×72 with the
        // defaults: the sky 0.34 away from Monet's after 150 iterations, and the rocks, the sea
        // and the beach each nearer another region's colour). relu2_1's small patches carry
        // colour; it is not a default because its search costs 16 times relu4_1's. At 64×48 the
        // beach came out 0.089 from Monet's beach and 0.080 from its sea: 96×72 is the smallest
        // size measured to pass.
        settings.styleLayers = ["relu2_1", "relu3_1", "relu4_1"]
        // The exact search: this is a claim about the loss. With the approximate search (48
        // sweeps) label 3 (green in the maps) came out 0.084 from its Monet region and 0.069 from label 1's
        // (measured 2026-11-27); with 24 sweeps it passed by 0.001. The approximate search's own
        // placement claim is held by PlacementTests, which run with the default search.
        settings.search = .exact
        let vgg = try RealVGG.load(pooling: settings.pooling)
        let output = try StylizerRun.run(
            content: doodle, style: monet, space: space, settings: settings, vgg: vgg, name: "doodle-coastline")

        let contentLabels = try XCTUnwrap(space.content.segmentation)
        let styleLabels = try XCTUnwrap(space.style.segmentation)
        let count = contentLabels.count
        let monetMeans = ColourPlacement.means(of: monet, regions: count, in: .rgb) { styleLabels[x: $0, y: $1] }
        let outputMeans = ColourPlacement.means(of: output, regions: count, in: .rgb) { x, y in
            Self.interior(contentLabels, x: x, y: y) ? contentLabels[x: x, y: y] : nil
        }
        let styleAreas = styleLabels.areas, contentAreas = contentLabels.areas
        var lines: [String] = []
        for label in 0..<count where styleAreas[label] > 0 && contentAreas[label] > 0 {
            let distances = monetMeans.indices.filter { styleAreas[$0] > 0 }.map {
                ($0, ColourPlacement.distance(outputMeans[label], monetMeans[$0]))
            }
            let own = distances.first { $0.0 == label }!.1
            let other = distances.filter { $0.0 != label }.min { $0.1 < $1.1 }!
            let colour = contentLabels.palette.map { p in String(format: " (map colour %.2f %.2f %.2f)", p[label].x, p[label].y, p[label].z) } ?? ""
            lines.append(String(format: "label %d%@: own %.3f, nearest other (label %d) %.3f", label, colour, own, other.0, other.1))
            XCTAssertLessThan(own, other.1, "label \(label): \(lines.last!)")
        }
        print("DoodleTests: " + lines.joined(separator: "; "))
    }

    /// Whether every pixel within `edgeRadius` of (x, y) has its label.
    private static func interior(_ labels: LabelMap, x: Int, y: Int) -> Bool {
        let label = labels[x: x, y: y]
        for dy in -edgeRadius...edgeRadius {
            for dx in -edgeRadius...edgeRadius {
                let (nx, ny) = (x + dx, y + dy)
                if nx >= 0, ny >= 0, nx < labels.width, ny < labels.height, labels[x: nx, y: ny] != label { return false }
            }
        }
        return true
    }
}
