import Foundation
import ImageIO
import Network
import Pipeline
import Tensor
import Transfer

/// One stylisation job, from its files and settings to the output image (PNG, or tiled TIFF): what `atelier stylize`
/// and `atelier coordinator` both run ("one code path at every scale", DESIGN.md §3), so that
/// the same job and seed give the same bytes whoever solves the tiles.
struct StylizeJob {
    var content: String
    var style: String
    var contentSeg: String?
    var styleSeg: String?
    var contentLight: String?
    var styleLight: String?
    var output: String
    /// Long side of the output in pixels (nil: the content's size).
    var size: Int?
    var settings: StylizeSettings
    var weights: String?
    var previewDir: String?
    /// The job's name on the wire (task keys, STYLE messages): workers and the coordinator tell
    /// jobs apart by it, so each job of a batch has its own. It does not change the bytes.
    var name = "local"

    /// The job's inputs, read and checked, with the network that serves them.
    struct Prepared {
        var content: Raster
        var width: Int
        var height: Int
        var weights: VGGWeights
        var vgg: VGG
        var inputs: MultiScaleStylizer.Inputs
        var plan: LevelPlan

        /// Whether some level is cut into tiles (else the job runs whole, in this process).
        var isTiled: Bool { !plan.levels.allSatisfy(\.isSingleTile) }
    }

    /// Reads the images (before the weights: a bad file fails fast), loads the network, checks the
    /// settings against it and builds the stylizer's inputs (DSS included).
    func prepare() throws -> Prepared {
        let transfer = settings.transfer
        let contentRaster = try ImageFile.open(content).readAll()
        let styleRaster = try ImageFile.open(style).readAll()
        let (width, height) = outputSize(contentWidth: contentRaster.width, contentHeight: contentRaster.height)
        guard min(width, height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(
                what: size == nil ? content : "the output at size \(size!)", width: width, height: height,
                minimum: MultiScaleSchedule.minimumSide)
        }
        guard min(styleRaster.width, styleRaster.height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(
                what: style, width: styleRaster.width, height: styleRaster.height, minimum: MultiScaleSchedule.minimumSide)
        }
        let vggWeights = try VGGWeights(contentsOf: WeightsLocation.resolve(explicit: weights))
        let vgg = VGG(weights: vggWeights, pooling: transfer.pooling)
        try settings.validate(architecture: vgg.architecture)
        let inputs = try StylizeInputs(
            content: contentRaster, style: styleRaster, contentPath: content, stylePath: style,
            contentSeg: contentSeg, styleSeg: styleSeg, contentLight: contentLight, styleLight: styleLight
        ).make(settings: transfer, vgg: vgg)
        let plan = LevelPlan(width: width, height: height, transfer: transfer, tile: settings.tile,
                             alignment: try settings.geometry(of: vgg.architecture).alignment)
        return Prepared(content: contentRaster, width: width, height: height, weights: vggWeights, vgg: vgg,
                        inputs: inputs, plan: plan)
    }

    /// Runs every level and writes the output. Levels that all fit one tile run whole (the same
    /// bytes as the tiled runner, with the fuller per-level report); larger ones are cut into tiles
    /// (DESIGN.md §2), solved by `executor` (default: in this process, one after the other).
    func run(
        _ prepared: Prepared, executor: TileExecutor? = nil,
        roundFinished: (TiledStylizer.RoundReport) throws -> Void = Progress.line,
        levelFinished: (Int, Tensor) throws -> Void = { _, _ in }
    ) throws {
        if let previewDir {
            try FileManager.default.createDirectory(atPath: previewDir, withIntermediateDirectories: true)
        }
        func finished(level: Int, _ image: Tensor) throws {
            try levelFinished(level, image)
            guard let previewDir else { return }
            let path = (previewDir as NSString).appendingPathComponent(
                String(format: "level-%d-%dx%d.png", level + 1, image.width, image.height))
            try PNGFile.write(Raster.rgb(image), to: path)
        }
        let result: Tensor
        if !prepared.isTiled {
            result = try MultiScaleStylizer(vgg: prepared.vgg, settings: settings.transfer).run(
                prepared.inputs, width: prepared.width, height: prepared.height
            ) { report, image in
                Progress.line(report)
                try finished(level: report.index, image)
            }
        } else {
            result = try TiledStylizer(vgg: prepared.vgg, settings: settings, job: name).run(
                prepared.inputs, width: prepared.width, height: prepared.height, executor: executor,
                roundFinished: roundFinished, levelFinished: finished)
        }
        try OutputImage.write(OutputImage.compose(result, content: prepared.content), to: output)
    }

    /// The output size: the content's aspect ratio with the long side `size` (default: the content's).
    func outputSize(contentWidth: Int, contentHeight: Int) -> (Int, Int) {
        guard let size else { return (contentWidth, contentHeight) }
        let scale = Double(size) / Double(max(contentWidth, contentHeight))
        return (max(1, Int((Double(contentWidth) * scale).rounded())), max(1, Int((Double(contentHeight) * scale).rounded())))
    }
}
