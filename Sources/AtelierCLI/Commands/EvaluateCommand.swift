import ArgumentParser
import Evaluation
import Foundation
import ImageIO
import Network
import Semantics

/// `atelier evaluate --output O --content C --style S [--content-seg CS --style-seg SS]
/// [--weights FILE] [--json]`: the figures of a stylised picture (README "Evaluate"), so that
/// settings can be compared with numbers: colour (to the painting), structure (to the content)
/// and style (Gram statistics), and colour region by region when the segmentation maps are given.
/// The images may be of any size and need not match (`EvaluationImage`, `StyleEvaluation`).
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a stylised image: colour and style against the painting, structure against the content.")

    @Option(help: "The stylised image to score (PNG or TIFF).")
    var output: String

    @Option(help: "The content image it was made from.")
    var content: String

    @Option(help: "The style image (the painting).")
    var style: String

    @Option(help: "Colour-coded segmentation map of the content (needs --style-seg): adds per-region colour.")
    var contentSeg: String?

    @Option(help: "Colour-coded segmentation map of the style (needs --content-seg).")
    var styleSeg: String?

    @Option(
        help: ArgumentHelp(
            "The weights file: the default VGG-16 with HED heads from Scripts/fetch-weights.",
            discussion: "Defaults to $\(WeightsLocation.environmentVariable), else \(WeightsLocation.defaultPath())."))
    var weights: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if (contentSeg == nil) != (styleSeg == nil) {
            throw ValidationError("--content-seg and --style-seg go together: give both maps or neither")
        }
    }

    func run() throws {
        // Every input file before the 59 MB of weights: a bad file fails fast.
        let outputImage = try EvaluationImage.read(output)
        let contentImage = try EvaluationImage.read(content)
        let styleImage = try EvaluationImage.read(style)
        var segmentation: StyleEvaluation.Segmentation?
        if let contentSeg, let styleSeg {
            let labels = try ColourSegmentation().labels(
                contentMap: GuideMap(contentsOf: contentSeg), styleMap: GuideMap(contentsOf: styleSeg),
                contentSize: PixelSize(width: outputImage.width, height: outputImage.height),
                styleSize: PixelSize(width: styleImage.width, height: styleImage.height))
            segmentation = StyleEvaluation.Segmentation(content: labels.content, style: labels.style)
        }
        let evaluation = try StyleEvaluation(contentsOf: WeightsLocation.resolve(explicit: weights))
        let report = try evaluation.evaluate(
            output: outputImage, content: contentImage, style: styleImage, segmentation: segmentation)
        print(json ? try EvaluationText.json(report) : EvaluationText.table(report), terminator: "")
    }
}

/// How `evaluate` prints a report: an aligned table for people, a stable JSON object for scripts.
enum EvaluationText {
    /// The JSON object: keys `colour`, `structure`, `style`, `style_layers` {layer: value},
    /// `regions` [{`label`, `area`, `colour`}] and `region_colour` (null without maps), sorted.
    static func json(_ report: EvaluationReport) throws -> String {
        var layers: [String: Any] = [:]
        for layer in report.styleLayers { layers[layer.layer] = layer.distance }
        let object: [String: Any] = [
            "colour": report.colour,
            "structure": report.structure,
            "style": report.style,
            "style_layers": layers,
            "regions": report.regions.map { region -> [String: Any] in
                ["label": label(of: region), "area": region.area, "colour": region.colour ?? NSNull()]
            },
            "region_colour": report.regionColour ?? NSNull(),
        ]
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The table: one figure a line, what it measures and which way is better beside it.
    static func table(_ report: EvaluationReport) -> String {
        func row(_ name: String, _ value: String, _ note: String = "") -> String {
            let line =
                name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 9 - value.count)) + value
            return (note.isEmpty ? line : line + "  " + note) + "\n"
        }
        var text = row("colour", fixed(report.colour), "Lab sliced Wasserstein to the painting, lower is closer")
        text += row("structure", fixed(report.structure), "HED edge correlation with the content, higher keeps more")
        text += row("style", fixed(report.style), "Gram distance to the painting, lower is closer")
        for layer in report.styleLayers { text += row("  " + layer.layer, fixed(layer.distance)) }
        guard !report.regions.isEmpty else { return text }
        text += row(
            "region colour", report.regionColour.map(fixed) ?? "-",
            "area-weighted over regions of at least 1%, lower is closer")
        for region in report.regions {
            let area = String(format: "%.1f%%", 100 * region.area)
            text += row("  " + label(of: region), region.colour.map(fixed) ?? "-", "area " + area)
        }
        return text
    }

    /// A region's name: its map colour as #rrggbb.
    private static func label(of region: RegionColour) -> String {
        guard let colour = region.mapColour else { return "label \(region.label)" }
        let bytes = (0..<3).map { Int((min(max(colour[$0], 0), 1) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", bytes[0], bytes[1], bytes[2])
    }

    private static func fixed(_ value: Double) -> String { String(format: "%.4f", value) }
}
