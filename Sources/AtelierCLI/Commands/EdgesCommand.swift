import ArgumentParser
import Foundation
import ImageIO
import Network

/// `atelier edges --image I --out E.png [--weights FILE]`: the HED edge map of an image, white on
/// black. Useful on its own, and a visible check that the weights load the right way round.
struct EdgesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edges",
        abstract: "Write the HED edge map of an image (white = edge) as a grey PNG.")

    @Option(help: "The input image (PNG or TIFF).")
    var image: String

    @Option(help: "The output PNG.")
    var out: String

    @Option(
        help: ArgumentHelp(
            "The weights file: the default VGG-16 with HED heads from Scripts/fetch-weights.",
            discussion: "Defaults to $\(WeightsLocation.environmentVariable), else \(WeightsLocation.defaultPath())."))
    var weights: String?

    func run() throws {
        let input = try ImageFile.open(image).readAll().rgbTensor()  // before the 59 MB of weights: fail fast
        let detector = try HEDEdgeDetector(contentsOf: WeightsLocation.resolve(explicit: weights))
        let edges = try detector.edges(of: input)
        try PNGFile.write(.gray(edges), to: out)
    }
}
