import ArgumentParser
import Foundation
import ImageIO
import Network
import Semantics

/// `atelier edges --image I --out E.png [--weights FILE] [--max-side PX]`: the HED edge map of an
/// image, white on black. Useful on its own, and a visible check that the weights load the right
/// way round. Large images run at a reduced size (`--max-side`, 1024 by default): the network needs
/// about 1 KB of activations per pixel.
struct EdgesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edges",
        abstract: "Write the HED edge map of an image (white = edge) as a grey PNG.")

    @Option(help: "The input image (PNG, JPEG, WebP or TIFF).")
    var image: String

    @Option(help: "The output PNG.")
    var out: String

    @Option(
        help: ArgumentHelp(
            "The weights file: the default VGG-16 with HED heads from Scripts/fetch-weights.",
            discussion: "Defaults to $\(WeightsLocation.environmentVariable), else \(WeightsLocation.defaultPath())."))
    var weights: String?

    @Option(help: "Run the network with the image's long side reduced to at most this many pixels.")
    var maxSide = 1024

    func validate() throws {
        guard maxSide >= 16 else { throw ValidationError("--max-side must be at least 16") }
    }

    func run() throws {
        let input = try ImageFile.open(image).readAll().rgbTensor()  // before the 59 MB of weights: fail fast
        let detector = try HEDEdgeDetector(contentsOf: WeightsLocation.resolve(explicit: weights))
        let edges = try detector.edges(of: input, maximumSide: maxSide)
        try PNGFile.write(.gray(edges), to: out)
    }
}
