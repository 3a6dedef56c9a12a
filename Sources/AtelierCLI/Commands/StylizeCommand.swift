import ArgumentParser
import Foundation
import ImageIO
import Network
import Pipeline
import Semantics
import Tensor
import Transfer
import Viewer

/// `atelier stylize`: paint the content in the style, guided by the deep semantic space
/// (DESIGN.md §1, §7). One machine, one process.
struct StylizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stylize",
        abstract: "Paint a photo (the content) in the style of a painting (deep semantic space guided, multi-scale).",
        discussion: """
            Settings come from the defaults (Configs/default.yaml documents every key), then \
            --config FILE, then each --set key=value, then the dedicated flags.
            """)

    // --content, --style and --out are checked in `validate()`: `--dump-config` needs none of them.
    @Option(name: .customLong("content"), help: ArgumentHelp(
        "The content image (PNG, JPEG, WebP or TIFF).", valueName: "content"))
    var contentPath: String?

    @Option(name: .customLong("style"), help: ArgumentHelp(
        "The style image, the painting (PNG, JPEG, WebP or TIFF); repeat it for several.", valueName: "style"))
    var styles: [String] = []

    @Option(help: ArgumentHelp(
        "The share of each --style in the style loss, in order (default: equal shares).", valueName: "w1,w2,..."))
    var styleWeights: String?

    @Option(help: "Colour-coded segmentation map of the content (needs --style-seg).")
    var contentSeg: String?

    @Option(help: "Colour-coded segmentation map of the style, one per --style (needs --content-seg).")
    var styleSeg: [String] = []

    @Option(help: "Grey lighting map of the content, e.g. a renderer's lighting pass (needs --style-light).")
    var contentLight: String?

    @Option(help: "Grey lighting map of the style, one per --style (needs --content-light).")
    var styleLight: [String] = []

    @Option(name: [.short, .customLong("out")], help: ArgumentHelp(
        "The output image: .png, .jpg/.jpeg, .webp or .tif/.tiff (the format follows the extension).",
        discussion: "PNG and TIFF keep a 16-bit content's 16 bits; JPEG and WebP are 8-bit.", valueName: "out"))
    var outPath: String?

    @Option(help: ArgumentHelp(
        "JPEG or WebP quality, 1-100 (default 92 for JPEG, 90 for WebP; 100 is lossless WebP).",
        valueName: "1-100"))
    var quality: Int?

    @Flag(help: "Write a .tif output as a tiled BigTIFF with a pyramid (automatic above 4096x4096 pixels).")
    var tiled = false

    @Option(help: "A YAML file of configuration keys.")
    var config: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Override one configuration key.", discussion: Configuration.keys, valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp(
        "Long side of the output in pixels, \(MultiScaleSchedule.minimumSide)-65536 (default: the content's).",
        valueName: "pixels"))
    var size: Int?

    @Option(help: ArgumentHelp(
        "dss (deep semantic space), mrf (CNNMRF) or gatys (Gram matrices) "
            + "(default: \(StylizeSettings().transfer.mode.rawValue)).",
        valueName: "dss|mrf|gatys"))
    var mode: String?

    @Option(help: ArgumentHelp(
        "Weight of the segmentation in patch matching, dss mode only; 0 turns it off "
            + "(default: \(StylizeSettings().transfer.semanticWeight))."))
    var semanticWeight: Float?

    @Option(help: ArgumentHelp(
        "Weight of the illumination in patch matching, dss mode only; 0 turns it off "
            + "(default: \(StylizeSettings().transfer.illuminationWeight))."))
    var illuminationWeight: Float?

    @Option(help: ArgumentHelp(
        "Size of the painting's strokes: 1 paints them at the painting's scale for an output of its size, 2 twice as large.",
        valueName: "factor"))
    var styleScale: Float?

    @Option(help: ArgumentHelp(
        "How strongly the painting's strokes replace the photo's detail (default 1; 2 paints more boldly, 0.5 keeps more of the photo).",
        discussion: "Divides content_weight by the factor: the content loss is what keeps the photo's detail."))
    var strokeStrength: Float?

    @Flag(help: "Keep the content's colours: transfer only the painting's strokes and light (luminance-only transfer).")
    var preserveColors = false

    @Option(help: ArgumentHelp(
        "Seed for everything random: automatic segmentation, search (default: \(StylizeSettings().transfer.seed))."))
    var seed: UInt64?

    @Option(help: "Write the result of every level as a PNG into this folder.")
    var previewDir: String?

    @Option(help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16 from Scripts/fetch-weights).")
    var weights: String?

    @Option(help: "Threads for the engine (default: all cores).")
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Workers solving the tiles of tiled levels, in this process over inproc:// (default 1: the command itself).",
        discussion: "The output does not depend on it; the workers share one copy of the network's weights. "
            + "A job whose levels all fit one tile runs whole, and --workers is then refused."))
    var workers: Int = 1

    @Option(help: ArgumentHelp(
        "A run directory for the levels' canvases and the accepted tiles (default above 4096x4096 pixels: "
            + "NAME.atelier-run beside the output NAME.EXT).",
        discussion: "With it a job checkpoints after every level (every round when tiled) and, stopped by Ctrl-C "
            + "or a crash, is continued with --resume."))
    var runDir: String?

    @Flag(help: "Continue the run stored in --run-dir (starts afresh when it holds none).")
    var resume = false

    @Flag(help: "Keep the automatic run directory (NAME.atelier-run) after a successful run.")
    var keepRunDir = false

    @Flag(help: "Replace an existing output (without it only this same job's previous output is replaced).")
    var overwrite = false

    @Flag(help: "Print the effective settings (defaults, --config, --set and flags) as YAML and exit.")
    var dumpConfig = false

    @Flag(name: .shortAndLong, help: "Print warnings and errors only.")
    var quiet = false

    @OptionGroup var liveView: LiveViewOptions

    @Flag(name: .shortAndLong, help: "Print a line per iteration (per tile when workers solve them).")
    var verbose = false

    @Option(help: .hidden)
    var streamingAbove: Int?

    /// The content and the output (`validate()` saw them given).
    private var content: String { contentPath! }
    private var out: String { outPath! }

    func validate() throws {
        var isFolder: ObjCBool = false
        if dumpConfig { return }
        guard contentPath != nil else { throw ValidationError("Missing expected argument '--content <content>'") }
        guard !styles.isEmpty else { throw ValidationError("Missing expected argument '--style <style>'") }
        guard outPath != nil else { throw ValidationError("Missing expected argument '--out <out>'") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other: give one") }
        // A folder given as --out is named as such by the job's output check, not as an extension.
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) && isFolder.boolValue { return }
        guard let format = OutputFormat(path: out) else { throw ValidationError(OutputImage.unknownExtension(out)) }
        if let quality {
            guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1-100, not \(quality)") }
            guard format.defaultQuality != nil else {
                throw ValidationError("--quality applies to .jpg and .webp outputs, not .\(format.extensions[0])")
            }
        }
        if tiled && format != .tiff { throw ValidationError("--tiled applies to .tif outputs only") }
        if resume && runDir == nil { throw ValidationError("--resume needs --run-dir") }
        if keepRunDir && runDir != nil {
            throw ValidationError("--keep-run-dir applies to the automatic run directory; a --run-dir is always kept")
        }
        if let streamingAbove, streamingAbove < 0 { throw ValidationError("--streaming-above must be ≥ 0") }
        if let size, size < MultiScaleSchedule.minimumSide || size > 1 << 16 {
            throw ValidationError("--size must be between \(MultiScaleSchedule.minimumSide) and 65536, not \(size)")
        }
        if (contentSeg == nil) != styleSeg.isEmpty {
            throw ValidationError("--content-seg and --style-seg go together: give both maps or neither")
        }
        if (contentLight == nil) != styleLight.isEmpty {
            throw ValidationError("--content-light and --style-light go together: give both maps or neither")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
        if workers < 1 || workers > 64 { throw ValidationError("--workers must be between 1 and 64, not \(workers)") }
        _ = try styleSources()
    }

    /// The paintings with their maps and shares (`--style`, `--style-seg`, `--style-light`,
    /// `--style-weights`), checked against each other.
    func styleSources() throws -> [StyleSource] {
        var weights: [Double] = []
        if let styleWeights {
            weights = try styleWeights.split(separator: ",", omittingEmptySubsequences: false).map { text in
                guard let weight = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--style-weights \(styleWeights): '\(text)' is not a number (give w1,w2,...)")
                }
                return weight
            }
        }
        do {
            return try StyleSource.make(paths: styles, segs: styleSeg, lights: styleLight, weights: weights)
        } catch let error as UsageError {
            throw ValidationError(error.description)
        }
    }

    /// The settings from defaults, the config file, the overrides and the flags, in that order.
    func settings() throws -> StylizeSettings {
        var settings = StylizeSettings()
        if let config { try Configuration.apply(file: Presets.resolve(config), to: &settings) }
        for override in overrides { try Configuration.apply(override: override, to: &settings) }
        if let mode { try settings.set("mode", to: mode) }
        if let semanticWeight { try settings.set("semantic_weight", to: Double(semanticWeight)) }
        if let illuminationWeight { try settings.set("illumination_weight", to: Double(illuminationWeight)) }
        if let styleScale { try settings.set("style_scale", to: Double(styleScale)) }
        if let strokeStrength {
            guard strokeStrength.isFinite && strokeStrength > 0 else {
                throw ValidationError("--stroke-strength must be a number > 0, not \(strokeStrength)")
            }
            settings.transfer.contentWeight /= strokeStrength
        }
        if preserveColors { settings.preserveColors = true }
        if let seed { settings.transfer.seed = seed }
        return settings
    }

    /// Flags that the chosen mode makes meaningless: said, never dropped silently.
    func ignoredFlags(_ settings: StylizeSettings) -> [String] {
        guard settings.transfer.mode != .dss else { return [] }
        let mode = settings.transfer.mode.rawValue
        var flags: [String] = []
        if semanticWeight != nil { flags.append("--semantic-weight") }
        if illuminationWeight != nil { flags.append("--illumination-weight") }
        if contentSeg != nil { flags.append("--content-seg/--style-seg") }
        if contentLight != nil { flags.append("--content-light/--style-light") }
        return flags.map { "\($0) has no effect in \(mode) mode (only dss matches patches by the semantic space)" }
    }

    private var verbosity: Verbosity { quiet ? .quiet : verbose ? .verbose : .normal }

    func run() throws {
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        Engine.setThreads(threads)
        BLASKernel.warnOfFallback()
        let warn = { (line: String) in FileHandle.standardError.write(Data("warning: \(line)\n".utf8)) }
        let settings = try settings()
        ignoredFlags(settings).forEach(warn)
        if dumpConfig { return print(settings.yaml, terminator: "") }
        var job = StylizeJob(
            content: content, styles: try styleSources(), contentSeg: contentSeg, contentLight: contentLight,
            output: out, size: size, settings: settings, weights: weights, previewDir: previewDir)
        job.outputOptions = OutputImage.Options(quality: quality, tiled: tiled)
        if let streamingAbove { job.streamingPixels = streamingAbove }
        let prepared = try job.prepare()
        let jobHash = try job.hash()
        let replacement = try OutputOwnership.replacement(of: out, by: jobHash, overwrite: overwrite, flag: "--out")
        OutputImage.warnings(
            output: out, contentBitDepth: prepared.contentBitDepth,
            contentHasAlpha: prepared.content?.layout.hasAlpha ?? false
        ).forEach(warn)
        if workers > 1 && !prepared.isTiled {
            throw ValidationError(
                "--workers \(workers): every level of this \(prepared.width)x\(prepared.height) job fits one tile, so "
                    + "it runs whole in this process; drop --workers (it splits tiled levels only)")
        }
        // A streamed output keeps its levels in files: without --run-dir they go beside the output.
        let automatic = runDir == nil && prepared.isStreaming
        let runDirectory = automatic ? Self.automaticRunDirectory(for: out) : runDir
        let progress = StylizeProgress(plan: prepared.plan, verbosity: verbosity)
        progress.announce(
            threads: threads, workers: prepared.isTiled ? workers : 1, runDirectory: runDirectory,
            automaticRunDirectory: automatic)
        if let replacement { progress.note(replacement) }
        var lastLevel: (index: Int, canvas: any Canvas)?
        do {
            try liveView.withLiveView { live in
                try StopRequest.shared.during {
                    try run(
                        job, prepared, runDirectory: runDirectory, resume: resume || automatic, progress: progress,
                        live: live
                    ) {
                        if runDirectory == nil { lastLevel = ($0, $1) }
                    }
                }
            }
        } catch let interrupted as Interrupted {
            progress.finish()
            throw Interrupted(
                signal: interrupted.signal,
                kept: try kept(runDirectory: runDirectory, automatic: automatic, lastLevel: lastLevel,
                               levels: prepared.plan.levels.count))
        } catch TransferError.imageTooSmall(let what, let width, let height, _) where what.hasSuffix("at this level") {
            progress.finish()
            throw tooSmallAtALevel("\(what) is \(width)x\(height), too small for the style layers' 3x3 patches",
                                   coarseSize: settings.transfer.coarseSize)
        } catch NetworkError.imageTooSmall(let width, let height, let layer) {
            // The inputs passed their checks whole: a level of the pyramid made one too small.
            progress.finish()
            throw tooSmallAtALevel("an image at this level is \(width)x\(height), too small to reach \(layer)",
                                   coarseSize: settings.transfer.coarseSize)
        } catch {
            progress.finish()
            throw error
        }
        OutputOwnership.mark(out, job: jobHash)
        progress.wrote(out, width: prepared.width, height: prepared.height)
        if automatic, let runDirectory, !keepRunDir { try? FileManager.default.removeItem(atPath: runDirectory) }
    }

    /// Runs the job in this process (one solver, watched iteration by iteration) or, with
    /// `--workers N` on a tiled job, on the same coordinator as a cluster's with its workers on
    /// threads (DESIGN.md §3); Ctrl-C is looked at after every iteration or pass of the coordinator.
    private func run(
        _ job: StylizeJob, _ prepared: StylizeJob.Prepared, runDirectory: String?, resume: Bool,
        progress: StylizeProgress, live: LiveRun?, levelFinished: @escaping (Int, any Canvas) -> Void
    ) throws {
        let stop = StopRequest.shared
        let log = { (line: String) in progress.note("stylize: " + line) }
        live?.begin(job: job.name, plan: prepared.plan)
        func run(executor: TileExecutor, solver: String? = nil) throws {
            try job.run(
                prepared, executor: live.map { LiveExecutor(executor, live: $0, solver: solver) } ?? executor,
                runDirectory: runDirectory, resume: resume, log: log,
                levelReported: progress.level,
                iterationFinished: { level, iteration, loss in
                    progress.iteration(level: level, iteration: iteration, loss: loss)
                    try stop.check()
                },
                skipped: progress.skipped, storedTiles: { progress.resumed(level: $0, round: $1, stored: $2) },
                checkpointsWholeJobs: true,
                roundFinished: progress.round,
                levelFinished: {
                    levelFinished($0, $1)
                    live?.levelFinished($0, canvas: $1)
                })
        }
        guard prepared.isTiled, workers > 1 else {
            let solver = TileSolver(vgg: prepared.vgg)
            solver.iterationFinished = { key, iteration, loss in
                progress.iteration(tile: key, iteration: iteration, loss: loss)
                try stop.check()
            }
            return try run(executor: SequentialTileExecutor(solver: solver), solver: "this process")
        }
        let pooling = job.settings.transfer.pooling
        let pool = try InProcessWorkers(
            count: workers, makeSolver: { TileSolver(vgg: prepared.vgg.sharingWeights(pooling: pooling)) },
            log: { line in FileHandle.standardError.write(Data(("coordinator: " + line + "\n").utf8)) })
        pool.coordinator.resultAccepted = progress.tile
        pool.coordinator.checkInterruption = { try stop.check() }
        pool.coordinator.snapshotTaken = live.map { live in { live.update($0) } }
        do {
            try run(executor: pool.coordinator)
        } catch {
            try? pool.shutdown()
            throw error
        }
        try pool.shutdown()
    }

    /// An image that a level of the pyramid made too small: the settings are what to change, so a
    /// usage error naming the key (not a bad input file: the files passed their checks whole).
    private func tooSmallAtALevel(_ reason: String, coarseSize: Int) -> UsageError {
        UsageError("coarse_size \(coarseSize): \(reason); raise coarse_size (or style_scale)")
    }

    /// What an interrupted run kept, and how to continue it.
    private func kept(
        runDirectory: String?, automatic: Bool, lastLevel: (index: Int, canvas: any Canvas)?, levels: Int
    ) throws -> String {
        if let runDirectory {
            let again = automatic ? Resumption.command() : Resumption.command(adding: "--resume")
            return "the run in \(runDirectory) keeps every finished level, round and tile; continue with: \(again)"
        }
        guard let (index, canvas) = lastLevel else {
            return "no level had finished, nothing kept; give --run-dir DIR to make a run resumable"
        }
        let path = Self.levelImagePath(for: out, level: index + 1, of: levels)
        try LevelOutputWriter.write(canvas, to: path, format: .png, bitDepth: .eight)
        return "level \(index + 1) of \(levels) (\(canvas.width)x\(canvas.height)) is in \(path); "
            + "to continue a run after Ctrl-C, give --run-dir DIR (then the same command with --resume)"
    }

    /// `photo.jpg` → `photo.atelier-run`, beside the output.
    static func automaticRunDirectory(for output: String) -> String {
        (output as NSString).deletingPathExtension + ".atelier-run"
    }

    /// `out.jpg` → `out.level-2-of-3.png`, beside the output.
    static func levelImagePath(for output: String, level: Int, of levels: Int) -> String {
        (output as NSString).deletingPathExtension + ".level-\(level)-of-\(levels).png"
    }
}
