import ArgumentParser
import Foundation
import ImageIO
import Network
import Semantics
import Tensor

/// `atelier dss --image I [--seg S] [--light L] --out-dir D`: the deep semantic space of one image
/// as pictures, to see what the method sees: `labels.png` (the regions, in the map's own colours,
/// or in false colours for the automatic segmentation) and `illumination.png` (the lighting
/// level L, black = darkest, white = most lit).
///
/// Without `--seg` the image is segmented automatically on its own, from its colour, position and
/// relu3_1 features of the default VGG-16 when the weights file is there (colour and position
/// only when it is not; the command says which on standard output).
struct DssCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dss",
        abstract: "Write an image's deep semantic space (labels.png, illumination.png) for viewing.")

    @Option(help: "The image (PNG, JPEG, WebP or TIFF).")
    var image: String

    @Option(help: "A colour-coded segmentation map of the image (any size: resampled by nearest neighbour).")
    var seg: String?

    @Option(help: "A grey lighting map of the image (a renderer's lighting pass), used instead of the estimate.")
    var light: String?

    @Option(help: "The folder to write labels.png and illumination.png into (created if needed).")
    var outDir: String

    @Option(help: "The number of regions of the automatic segmentation.")
    var segments = AutomaticSegmentation().k

    @Option(help: "The seed of the automatic segmentation.")
    var seed: UInt64 = 0

    @Option(
        help: ArgumentHelp(
            "The weights file for the automatic segmentation's relu3_1 features.",
            discussion: "Defaults to $\(WeightsLocation.environmentVariable), else \(WeightsLocation.defaultPath());"
                + " without --weights, a missing default file means colour and position only."))
    var weights: String?

    /// The layer whose features describe the pixels in the automatic segmentation: relu3_1 is
    /// semantic enough to tell rock from sea and keeps a quarter of the image's resolution.
    static let featureLayer = "relu3_1"
    /// The long side at which the network runs for those features (the segmentation itself works
    /// at 128 pixels): bounds memory on large images.
    static let featureSide = 512

    func validate() throws {
        guard segments >= 1 && segments <= 64 else { throw ValidationError("--segments must be in 1...64") }
    }

    func run() throws {
        let picture = try ImageFile.open(image).readAll().rgbTensor()
        let size = PixelSize(width: picture.width, height: picture.height)
        let labels: LabelMap
        let labelSource: String
        if let seg {
            labels = try ColourSegmentation().labels(map: GuideMap(contentsOf: seg), size: size)
            labelSource = "from \(seg)"
        } else {
            let features = try deepFeatures(of: picture)
            labels = AutomaticSegmentation(k: segments, seed: seed).labels(image: picture, features: features)
            labelSource =
                features == nil ? "automatic: colour and position" : "automatic: colour, position, \(SegmentationFeatures.layer)"
        }
        let illumination = Illumination()
        let level =
            try light.map { illumination.level(of: try GuideMap(contentsOf: $0), size: size) }
            ?? illumination.estimate(picture)

        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let labelsPath = (outDir as NSString).appendingPathComponent("labels.png")
        let illuminationPath = (outDir as NSString).appendingPathComponent("illumination.png")
        try PNGFile.write(labels.picture(), to: labelsPath)
        try PNGFile.write(.gray(level), to: illuminationPath)
        print("\(labelsPath): \(labels.count) regions (\(labelSource))")
        print("\(illuminationPath): lighting level (\(light.map { "from \($0)" } ?? "estimated"))")
    }

    /// relu3_1 features of the image (reduced to `featureSide` first), or nil when no weights
    /// file was asked for and the default one is absent.
    private func deepFeatures(of picture: Tensor) throws -> Tensor? {
        let path = WeightsLocation.resolve(explicit: weights)
        if weights == nil && !FileManager.default.fileExists(atPath: path) { return nil }
        return try SegmentationFeatures.of(picture, vgg: VGG(contentsOf: path))
    }
}
