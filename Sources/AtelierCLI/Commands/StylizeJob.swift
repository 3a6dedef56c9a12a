import Foundation
import ImageIO
import Network
import Pipeline
import Semantics
import Tensor
import Transfer

/// One stylisation job, from its files and settings to the output image (PNG, JPEG, WebP or TIFF):
/// what `atelier stylize` and `atelier coordinator` both run ("one code path at every scale", DESIGN.md §3), so that
/// the same job and seed give the same bytes whoever solves the tiles.
struct StylizeJob {
    var content: String
    /// The paintings, their maps and their shares of the style loss (several are blended in every
    /// job held in memory; `prepare()` refuses them for a streamed output).
    var styles: [StyleSource]
    var contentSeg: String?
    var contentLight: String?
    var output: String
    /// Long side of the output in pixels (nil: the content's).
    var size: Int?
    var settings: StylizeSettings
    var weights: String?
    var previewDir: String?
    /// `--quality` and `--tiled`: how the output is written (its format follows its extension).
    var outputOptions = OutputImage.Options()
    /// The job's name on the wire (task keys, STYLE messages): workers and the coordinator tell
    /// jobs apart by it, so each job of a batch has its own. It does not change the bytes.
    var name = "local"
    /// Where the job's keys were written, for error messages: the job file (or batch entry), or
    /// nil for `stylize`'s flags.
    var source: String?
    /// Outputs of more pixels than this stream (DESIGN.md §2): the content is read by region, its
    /// DSS groups made by rectangle, and the final canvas written by region; they need a run
    /// directory for their canvases. 4096² (16 Mi pixels): an in-memory job of that size already
    /// holds gigabytes of levels and DSS maps, and every smaller one keeps its exact in-memory bytes
    /// (alpha included).
    var streamingPixels = 4096 * 4096

    /// The largest level written as a preview PNG (read whole from its canvas): 4 Mi pixels.
    static let previewPixelLimit = 2048 * 2048

    /// The first painting that takes part and its maps (a single-painting job's).
    var style: String { blended[0].path }
    var styleSeg: String? { blended[0].seg }
    var styleLight: String? { blended[0].light }

    /// The job's inputs, read and checked, with the network that serves them.
    struct Prepared {
        /// The content, whole (nil when the job streams).
        var content: Raster?
        var contentBitDepth: BitDepth
        var width: Int
        var height: Int
        /// The network (each in-process worker shares its weights).
        var vgg: VGG
        /// The in-memory inputs (nil when the job streams).
        var memoryInputs: MultiScaleStylizer.Inputs?
        var inputs: any TiledJobInputs
        var plan: LevelPlan

        /// Whether some level is cut into tiles (else the job runs whole, in this process).
        var isTiled: Bool { !plan.levels.allSatisfy(\.isSingleTile) }
        var isStreaming: Bool { memoryInputs == nil }
    }

    /// Checks the output path (`checkOutput`), reads the images (before the weights: a bad file
    /// fails fast), loads the network, checks the settings against it and builds the stylizer's
    /// inputs (DSS included), in memory or, for an output above `streamingPixels`, by region from
    /// the content file.
    func prepare() throws -> Prepared {
        try checkOutput()
        let transfer = settings.transfer
        let outputFormat = try OutputImage.format(of: output)  // an unknown extension fails before any work
        let contentSource = try ImageFile.open(content)
        let styleRasters = try blended.map { try ImageFile.open($0.path).readAll() }
        let styleRaster = styleRasters[0]
        let (width, height) = outputSize(contentWidth: contentSource.info.width, contentHeight: contentSource.info.height)
        guard min(width, height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(
                what: size == nil ? content : "the output at size \(size!)", width: width, height: height,
                minimum: MultiScaleSchedule.minimumSide)
        }
        for (source, raster) in zip(blended, styleRasters)
        where min(raster.width, raster.height) < MultiScaleSchedule.minimumSide {
            throw TransferError.imageTooSmall(
                what: source.path, width: raster.width, height: raster.height, minimum: MultiScaleSchedule.minimumSide)
        }
        try OutputImage.check(outputFormat, path: output, width: width, height: height)
        let streams = width * height > streamingPixels
        let contentRaster = streams ? nil : try contentSource.readAll()
        // The file's arrays go once the network has its copy (a worker's TileSolver keeps none either).
        let vgg = try VGG(contentsOf: WeightsLocation.resolve(explicit: weights), pooling: transfer.pooling)
        try settings.validate(architecture: vgg.architecture)
        let plan = LevelPlan(width: width, height: height, transfer: transfer, tile: settings.tile,
                             alignment: try settings.geometry(of: vgg.architecture).alignment)
        if blended.count > 1, streams {
            throw severalStylesRefused(because: "this \(width)x\(height) output streams its levels through files")
        }
        guard let contentRaster else {
            let styleImage = styleRaster.rgbTensor()
            let needsFeatures = contentSeg == nil && transfer.semanticWeight > 0
            let semantics = try ContentSemantics(
                content: contentSource, style: styleImage, guides: try guides(), settings: transfer,
                features: needsFeatures ? { try SegmentationFeatures.of($0, vgg: vgg) } : nil)
            return Prepared(
                content: nil, contentBitDepth: contentSource.info.bitDepth, width: width, height: height,
                vgg: vgg, memoryInputs: nil,
                inputs: StreamingJobInputs(content: contentSource, style: styleImage, semantics: semantics), plan: plan)
        }
        let paintings = try zip(blended, styleRasters).map { source, raster in
            let inputs = try StylizeInputs(
                content: contentRaster, style: raster, contentPath: content, stylePath: source.path,
                contentSeg: contentSeg, styleSeg: source.seg, contentLight: contentLight, styleLight: source.light
            ).make(settings: transfer, vgg: vgg)
            return (inputs: inputs, share: Float(source.weight))
        }
        let inputs = MultiScaleStylizer.Inputs(blending: paintings)
        return Prepared(content: contentRaster, contentBitDepth: contentRaster.bitDepth, width: width, height: height,
                        vgg: vgg, memoryInputs: inputs, inputs: inputs, plan: plan)
    }

    /// The paintings that take part: those of a share above 0 (a painting of share 0 changes
    /// nothing, so weights 1,0 run the first painting alone, with its bytes), the shares again
    /// summing to 1.
    var blended: [StyleSource] {
        let kept = styles.filter { $0.weight > 0 }
        guard kept.count > 1 else { return kept.map { StyleSource(path: $0.path, seg: $0.seg, light: $0.light) } }
        let total = kept.map(\.weight).reduce(0, +)
        return kept.map { StyleSource(path: $0.path, seg: $0.seg, light: $0.light, weight: $0.weight / total) }
    }

    /// Several paintings are blended wherever the job is held in memory (whole, tiled, on
    /// workers); a streamed output reads its content by region and carries one painting.
    func severalStylesRefused(because reason: String) -> UsageError {
        let weights = blended.map { String(format: "%.2g", $0.weight) }.joined(separator: ",")
        return UsageError(
            "\(name(of: "style")) given \(blended.count) times (weights \(weights)): several paintings are blended "
                + "only in jobs held in memory, and \(reason); give one --style")
    }

    /// The user's maps, read whole (they are small, or resampled by rectangle later).
    private func guides() throws -> DeepSemanticSpace.Guides {
        DeepSemanticSpace.Guides(
            contentMap: try contentSeg.map { try GuideMap(contentsOf: $0) },
            styleMap: try styleSeg.map { try GuideMap(contentsOf: $0) },
            contentLight: try contentLight.map { try GuideMap(contentsOf: $0) },
            styleLight: try styleLight.map { try GuideMap(contentsOf: $0) })
    }

    /// The job's identity for a run directory (`JobHash`): every setting of the schema, the output, and
    /// each input file's path, size and modification time, so that resuming with another job
    /// file, or after an input changed, is refused.
    func hash() throws -> String {
        func fingerprint(_ path: String?) throws -> Any? {
            guard let path else { return nil }
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return ["path": path, "bytes": (attributes[.size] as? NSNumber)?.intValue ?? -1,
                    "modified": String(format: "%.6f", modified)] as [String: Any]
        }
        var job: [String: Any?] = [
            "content": try fingerprint(content), "style": try fingerprint(style),
            "content_seg": try fingerprint(contentSeg), "style_seg": try fingerprint(styleSeg),
            "content_light": try fingerprint(contentLight), "style_light": try fingerprint(styleLight),
            "output": output, "size": size,
        ]
        // A single painting's job keeps the identity it always had (run directories stay valid).
        if blended.count > 1 {
            job["styles"] = try blended.map { source -> Any in
                ["image": try fingerprint(source.path), "seg": try fingerprint(source.seg),
                 "light": try fingerprint(source.light), "weight": source.weight]
            }
        }
        return JobHash.of(settings: StylizeSettings.schema.canonicalLines(of: settings), job: job)
    }

    /// Runs every level and writes the output. Levels that all fit one tile run whole (the same
    /// bytes as the tiled runner, with the fuller per-level report); larger ones are cut into tiles
    /// (DESIGN.md §2), solved by `executor` (default: in this process, one after the other), with
    /// their canvases and results in `runDirectory` when given (resumable: `resume` continues the
    /// run stored there; with `checkpointsWholeJobs` a job that never tiles runs through the tiled
    /// runner too, a level a round, so that it can be continued). `ready` is called once the run directory is checked,
    /// before any work (the coordinator binds its socket then, so a refused run never listens).
    /// `levelReported` and `iterationFinished` watch a job that runs whole (a throw from the
    /// latter stops it there: Ctrl-C); `skipped` hears of each level a resumed run finds stored,
    /// with its rounds completed, and `storedTiles` of each round it finds partly solved.
    /// - Throws: `UsageError` for a streaming job without a run directory; `PipelineStoreError`
    ///   for a run directory that holds another job's run (`.jobMismatch`), or any run without
    ///   `resume` (`.existingRun`); the stylizer's and the files' errors.
    func run(
        _ prepared: Prepared, executor: TileExecutor? = nil, runDirectory: String? = nil, resume: Bool = false,
        log: @escaping (String) -> Void = { _ in }, ready: () throws -> Void = {},
        levelReported: (MultiScaleStylizer.LevelReport) -> Void = Progress.line,
        iterationFinished: ((_ level: Int, _ iteration: Int, _ loss: Double) throws -> Void)? = nil,
        skipped: (_ level: Int, _ roundsCompleted: Int) -> Void = { _, _ in },
        storedTiles: @escaping (_ level: Int, _ round: Int, _ stored: Int) -> Void = { _, _, _ in },
        checkpointsWholeJobs: Bool = false,
        roundFinished: (TiledStylizer.RoundReport) throws -> Void = Progress.line,
        levelFinished: (Int, any Canvas) throws -> Void = { _, _ in }
    ) throws {
        if let previewDir {
            try FileManager.default.createDirectory(atPath: previewDir, withIntermediateDirectories: true)
        }
        func finished(level: Int, _ canvas: any Canvas) throws {
            try levelFinished(level, canvas)
            guard let previewDir, canvas.width * canvas.height <= Self.previewPixelLimit else { return }
            let path = (previewDir as NSString).appendingPathComponent(
                String(format: "level-%d-%dx%d.png", level + 1, canvas.width, canvas.height))
            try LevelOutputWriter.write(canvas, to: path, format: .png, bitDepth: .eight)
        }
        if !prepared.isTiled, runDirectory == nil || !checkpointsWholeJobs, let inputs = prepared.memoryInputs,
           let content = prepared.content {
            try ready()
            let result = try MultiScaleStylizer(vgg: prepared.vgg, settings: settings.transfer).run(
                inputs, width: prepared.width, height: prepared.height,
                levelFinished: { report, image in
                    levelReported(report)
                    try finished(level: report.index, MemoryCanvas(image))
                },
                iterationFinished: iterationFinished.map { watch in { level, iteration, loss, _ in
                    try watch(level, iteration, loss)
                } })
            return try OutputImage.write(
                OutputImage.compose(colours(of: result, content: content, inputs: prepared.memoryInputs), content: content), to: output,
                options: outputOptions)
        }
        let store: any LevelStore
        var directory: RunDirectory?
        if let runDirectory {
            try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
            let opened = try RunDirectory(path: runDirectory)
            directory = opened
            let manifest = try opened.start(jobHash: try hash(), resume: resume)
            if resume { log(Self.describe(manifest, in: runDirectory)) }
            for level in manifest.levels where level.roundsCompleted > 0 { skipped(level.level, level.roundsCompleted) }
            store = try RunDirectoryLevelStore(directory: opened, manifest: manifest)
        } else if prepared.isStreaming {
            throw UsageError(
                "a \(prepared.width)x\(prepared.height) output streams its levels through files: give a run directory"
                    + " (--run-dir)")
        } else {
            store = MemoryLevelStore()
        }
        defer {
            try? (store as? RunDirectoryLevelStore)?.close()
            try? directory?.close()
        }
        try ready()
        let stylizer = TiledStylizer(vgg: prepared.vgg, settings: settings, job: name)
        stylizer.resumed = { level, round, stored, total in
            log("resuming level \(level + 1) round \(round + 1): \(stored) of \(total) tiles already stored")
            storedTiles(level, round, stored)
        }
        stylizer.discarded = log
        let canvas = try stylizer.run(
            prepared.inputs, width: prepared.width, height: prepared.height, store: store, executor: executor,
            roundFinished: roundFinished, levelFinished: finished)
        if let content = prepared.content {
            let result = canvas.read(PixelRect(width: canvas.width, height: canvas.height))
            try OutputImage.write(
                OutputImage.compose(colours(of: result, content: content, inputs: prepared.memoryInputs), content: content), to: output,
                options: outputOptions)
        } else {
            try LevelOutputWriter.write(
                canvas, to: output, format: try OutputImage.format(of: output), bitDepth: prepared.contentBitDepth,
                quality: outputOptions.quality, finish: try streamedFinish(of: canvas, inputs: prepared.inputs))
        }
    }

    /// The finished image in its final colours: the content's when `preserve_colors` asks for
    /// them, else with `colour_finish` the painting's colour distribution cell by cell of the DSS.
    private func colours(of result: Tensor, content: Raster, inputs: MultiScaleStylizer.Inputs?) -> Tensor {
        if settings.preserveColors {
            let rgb = MultiScaleStylizer.resized(content.rgbTensor(), width: result.width, height: result.height)
            return ColourPreservation.apply(stylised: result, content: rgb)
        }
        guard settings.colourFinish > 0, let inputs else { return result }
        return inputs.finishingBlend.colourFinish(result, settings: settings.transfer, strength: settings.colourFinish)
    }

    /// The streamed counterpart of `colours(of:content:inputs:)`, applied tile by tile as the
    /// output is written: the content's colours, or the finish worked out on an overview.
    private func streamedFinish(of canvas: any Canvas, inputs: any TiledJobInputs) throws -> OutputFinish? {
        guard let streaming = inputs as? StreamingJobInputs else { return nil }
        let content = LevelContentSource(source: streaming.content, width: canvas.width, height: canvas.height)
        if settings.preserveColors { return .preservingColours(content) }
        guard settings.colourFinish > 0 else { return nil }
        return try .colourFinish(
            of: canvas, content: content, style: streaming.style, strength: settings.colourFinish,
            seed: settings.transfer.seed)
    }

    /// One line on where a resumed run stands.
    static func describe(_ manifest: RunManifest, in path: String) -> String {
        guard !manifest.levels.isEmpty else { return "--resume: nothing stored in \(path) yet; starting from the first level" }
        let levels = manifest.levels.map { "level \($0.level + 1) \($0.roundsCompleted)/\($0.rounds) rounds" }
        return "--resume: continuing the run in \(path) (\(levels.joined(separator: ", ")))"
    }

    /// The output size: the content's aspect ratio with the long side `size` (default: the content's).
    func outputSize(contentWidth: Int, contentHeight: Int) -> (Int, Int) {
        guard let size else { return (contentWidth, contentHeight) }
        let scale = Double(size) / Double(max(contentWidth, contentHeight))
        return (max(1, Int((Double(contentWidth) * scale).rounded())), max(1, Int((Double(contentHeight) * scale).rounded())))
    }
}
