import ArgumentParser
import Foundation
import ImageIO
import Network
import Pipeline
import Semantics
import Tensor
import Transfer

/// `atelier stylize`: paint the content in the style, guided by the deep semantic space
/// (DESIGN.md §1, §7). One machine, one process.
struct StylizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stylize",
        abstract: "Stylise a content image with a style image (deep semantic space guided, multi-scale).",
        discussion: """
            Settings come from the defaults (Configs/default.yaml documents every key), then \
            --config FILE, then each --set key=value, then the dedicated flags.
            """)

    @Option(help: "The content image (PNG, JPEG, WebP or TIFF).")
    var content: String

    @Option(help: "The style image (PNG, JPEG, WebP or TIFF).")
    var style: String

    @Option(help: "Colour-coded segmentation map of the content (needs --style-seg).")
    var contentSeg: String?

    @Option(help: "Colour-coded segmentation map of the style (needs --content-seg).")
    var styleSeg: String?

    @Option(help: "Grey lighting map of the content, e.g. a renderer's lighting pass (needs --style-light).")
    var contentLight: String?

    @Option(help: "Grey lighting map of the style (needs --content-light).")
    var styleLight: String?

    @Option(help: ArgumentHelp(
        "The output image: .png, .jpg/.jpeg, .webp or .tif/.tiff (the format follows the extension).",
        discussion: "PNG and TIFF keep a 16-bit content's 16 bits; JPEG and WebP are 8-bit."))
    var out: String

    @Option(help: ArgumentHelp(
        "JPEG or WebP quality, 1-100 (default 92 for JPEG, 90 for WebP; 100 is lossless WebP).",
        valueName: "1-100"))
    var quality: Int?

    @Flag(help: "Write a .tif output as a tiled BigTIFF with a pyramid (automatic above 4096x4096 pixels).")
    var tiled = false

    @Option(help: "A YAML file of configuration keys.")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one configuration key.", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "Long side of the output in pixels (default: the content's).")
    var size: Int?

    @Option(help: "dss (deep semantic space), mrf (CNNMRF) or gatys (Gram matrices).")
    var mode: String?

    @Option(help: "Weight of the segmentation in patch matching (0 turns it off).")
    var semanticWeight: Float?

    @Option(help: "Weight of the illumination in patch matching (0 turns it off).")
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

    @Option(help: "Seed for everything random (automatic segmentation, search).")
    var seed: UInt64?

    @Option(help: "Write the result of every level as a PNG into this folder.")
    var previewDir: String?

    @Option(help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16 from Scripts/fetch-weights).")
    var weights: String?

    @Option(help: "Threads for the engine (default: all cores).")
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Workers solving the tiles of tiled levels, in this process over inproc:// (default 1: the command itself).",
        discussion: "The output does not depend on it; each worker holds its own copy of the network."))
    var workers: Int = 1

    @Option(help: ArgumentHelp(
        "A run directory for the levels' canvases and the accepted tiles (needed above 4096x4096 pixels).",
        discussion: "With it a tiled job checkpoints after every round and can be continued with --resume."))
    var runDir: String?

    @Flag(help: "Continue the run stored in --run-dir (starts afresh when it holds none).")
    var resume = false

    @Option(help: .hidden)
    var streamingAbove: Int?

    func validate() throws {
        var isFolder: ObjCBool = false
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
        if let streamingAbove, streamingAbove < 0 { throw ValidationError("--streaming-above must be ≥ 0") }
        if let size, size < MultiScaleSchedule.minimumSide || size > 1 << 16 {
            throw ValidationError("--size must be between \(MultiScaleSchedule.minimumSide) and 65536, not \(size)")
        }
        if (contentSeg == nil) != (styleSeg == nil) {
            throw ValidationError("--content-seg and --style-seg go together: give both maps or neither")
        }
        if (contentLight == nil) != (styleLight == nil) {
            throw ValidationError("--content-light and --style-light go together: give both maps or neither")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
        if workers < 1 || workers > 64 { throw ValidationError("--workers must be between 1 and 64, not \(workers)") }
    }

    /// The settings from defaults, the config file, the overrides and the flags, in that order.
    func settings() throws -> StylizeSettings {
        var settings = StylizeSettings()
        if let config { try Configuration.apply(file: config, to: &settings) }
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

    func run() throws {
        Engine.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
        BLASKernel.warnOfFallback()
        var job = StylizeJob(
            content: content, style: style, contentSeg: contentSeg, styleSeg: styleSeg, contentLight: contentLight,
            styleLight: styleLight, output: out, size: size, settings: try settings(), weights: weights,
            previewDir: previewDir)
        job.outputOptions = OutputImage.Options(quality: quality, tiled: tiled)
        if let streamingAbove { job.streamingPixels = streamingAbove }
        let prepared = try job.prepare()
        let warnings = OutputImage.warnings(
            output: out, contentBitDepth: prepared.contentBitDepth,
            contentHasAlpha: prepared.content?.layout.hasAlpha ?? false)
        for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let log = { (line: String) in FileHandle.standardError.write(Data(("stylize: " + line + "\n").utf8)) }
        guard prepared.isTiled, workers > 1 else {
            return try job.run(prepared, runDirectory: runDir, resume: resume, log: log)
        }
        // The same coordinator as a cluster's, its workers on threads (DESIGN.md §3).
        let pooling = job.settings.transfer.pooling
        let pool = try InProcessWorkers(
            count: workers, makeSolver: { TileSolver(vgg: prepared.vgg.sharingWeights(pooling: pooling)) },
            log: { line in FileHandle.standardError.write(Data(("coordinator: " + line + "\n").utf8)) })
        do {
            try job.run(prepared, executor: pool.coordinator, runDirectory: runDir, resume: resume, log: log)
        } catch {
            try? pool.shutdown()
            throw error
        }
        try pool.shutdown()
    }
}

/// One progress line per finished level, on standard error.
enum Progress {
    static func line(_ report: MultiScaleStylizer.LevelReport) {
        let first = report.lossTrace.first ?? .nan, last = report.lossTrace.last ?? .nan
        let rest = report.seconds - report.vggSeconds - report.searchSeconds
        let text = String(
            format: "level %d/%d %dx%d: %d iterations (%d evaluations), loss %.4g -> %.4g "
                + "(content %.3g, style %.3g, tv %.3g), %.1f s (VGG %.1f s, search %.1f s, rest %.1f s)",
            report.index + 1, report.count, report.width, report.height, report.iterations, report.evaluations,
            first, last, report.terms.content, report.terms.style, report.terms.tv,
            report.seconds, report.vggSeconds, report.searchSeconds, rest)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// One line per finished round of a tiled level: the sums of the tiles' losses.
    static func line(_ report: TiledStylizer.RoundReport) {
        let first = report.tileLosses.reduce(0) { $0 + $1.first }, last = report.tileLosses.reduce(0) { $0 + $1.last }
        let text = String(
            format: "level %d/%d %dx%d round %d/%d: %d tiles, %d iterations, tile losses %.4g -> %.4g, %.1f s",
            report.level + 1, report.levels, report.width, report.height, report.round + 1, report.rounds,
            report.tiles, report.iterations, first, last, report.seconds)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
