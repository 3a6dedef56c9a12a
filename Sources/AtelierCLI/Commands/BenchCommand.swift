import ArgumentParser
import Foundation
import ImageIO
import Network
import Pipeline
import Semantics
import Tensor
import Transfer

/// `atelier bench …`: speed measured as ratios within one process (DESIGN.md §8).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed as ratios against SGEMM in the same process.",
        subcommands: [
            EngineBenchCommand.self, NearestPatchBenchCommand.self, MultiScaleBenchCommand.self,
            PipelineBenchCommand.self, ScalingBenchCommand.self,
        ]
    )
}

/// Options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Threads for OpenBLAS and the engine (default: all cores).")
    var threads: Int?

    @Option(help: "Timed repeats per measurement (min/median/max are reported).")
    var repeats = 5

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1, not \(repeats)") }
    }

    /// Applies the thread setting for the whole process.
    func applyThreads() {
        Engine.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Progress goes to standard error so that `--json` output stays one clean object.
    func log(_ line: String) {
        if !json { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}

struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Convolution throughput per VGG-16 layer and a pass to relu4_2, against SGEMM.")

    @OptionGroup var options: BenchOptions

    @Option(parsing: .upToNextOption, help: "Input sizes (square) for the per-layer figures.")
    var sizes: [Int] = [256, 512]

    @Option(help: "Input size of the forward+backward pass to relu4_2.")
    var passSize = 512

    @Option(help: "Side of the square SGEMM whose rate is the reference.")
    var sgemmSize = 2048

    @Option(parsing: .upToNextOption,
            help: ArgumentHelp(
                "Lowerings to time alternately per layer and for the pass; the first one's pass is the headline.",
                discussion: "im2col, shifted, winograd (F(2×2,3×3)), winograd4 (F(4×4,3×3)), or default "
                    + "(the engine's per-layer choice)."))
    var lowerings: [String] = [EngineBenchmark.defaultChoiceName]

    func validate() throws {
        if let bad = (sizes + [passSize, sgemmSize]).first(where: { $0 < 16 || $0 > 4096 }) {
            throw ValidationError("sizes must be between 16 and 4096 pixels, not \(bad)")
        }
        let isKnown = { (name: String) in
            Conv3x3.Lowering(rawValue: name) != nil || name == EngineBenchmark.defaultChoiceName
        }
        if let bad = lowerings.first(where: { !isKnown($0) }) {
            let known = (Conv3x3.Lowering.allCases.map(\.rawValue) + [EngineBenchmark.defaultChoiceName])
                .joined(separator: ", ")
            throw ValidationError("unknown lowering '\(bad)' (expected one of \(known))")
        }
    }

    func run() throws {
        options.applyThreads()
        let benchmark = EngineBenchmark(
            repeats: options.repeats, sizes: sizes, lowerings: lowerings.map(Conv3x3.Lowering.init(rawValue:)),
            passSize: passSize, sgemmSize: sgemmSize, log: options.log)
        let report = benchmark.run()
        if options.json {
            try printJSON(report)
            return
        }
        print(String(format: "threads %d, SGEMM %d³ %.1f GFLOP/s (min %.1f, max %.1f)",
                     report.threads, report.sgemm_size, report.sgemm_gflops, report.sgemm_gflops_min, report.sgemm_gflops_max))
        print("BLAS kernel \(BLASKernel.current)")
        if let warning = BLASKernel.current.warning { print("warning: \(warning)") }
        print("ratios: against the process's SGEMM rate, and [paired] against an SGEMM timed alternately with the layer")
        print("layer    lowering  size  fwd GFLOP/s  fwd/SGEMM [paired]  bwd GFLOP/s  bwd/SGEMM [paired]")
        for layer in report.layers {
            print(String(format: "%-8@ %-8@ %5d  %11.1f  %9.2f [%6.2f]  %11.1f  %9.2f [%6.2f]", layer.name,
                         layer.lowering, layer.size, layer.forward_gflops, layer.forward_ratio, layer.forward_paired_ratio,
                         layer.backward_gflops, layer.backward_ratio, layer.backward_paired_ratio))
        }
        print(String(format: "VGG-16 forward+backward to relu4_2 at %d²: %.3f s (min %.3f, max %.3f); "
                         + "floor %.3f s, ratio %.2f; paired floor %.3f s, ratio %.2f",
                     passSize, report.vgg16_relu4_2_seconds, report.vgg16_relu4_2_seconds_min,
                     report.vgg16_relu4_2_seconds_max, report.floor_seconds, report.pass_over_floor,
                     report.paired_floor_seconds, report.pass_over_paired_floor))
        for (name, range) in report.vgg16_relu4_2_seconds_range_by_lowering.sorted(by: { $0.key < $1.key }) {
            print(String(format: "  %-9@ %.3f s (min %.3f, max %.3f)", name, range[1], range[0], range[2]))
        }
        print("layer choice (default forward/backward; fastest measured forward/backward):")
        for choice in report.layer_choice {
            print("  \(choice.name) @\(choice.size): \(choice.forward)/\(choice.backward); "
                  + "\(choice.fastest_forward)/\(choice.fastest_backward)")
        }
    }
}

struct NearestPatchBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Exact nearest-patch search against SGEMM; approximate search against exact (time, recall).",
        discussion: """
            On VGG-16 features of a photo and a painting, both resized to each size (square). Recall: the \
            fraction of patches whose approximate match scores within 1% of the exact best, and the \
            fraction whose match is the exact one.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "The photo whose patches are searched for (default: the shipped sample, found from any folder).")
    var content = "Examples/chelsea.png"

    @Option(help: "The painting whose patches are the bank (default: the shipped sample, found from any folder).")
    var style = "Examples/starry_night.png"

    @Option(parsing: .upToNextOption, help: "Image sizes (square).")
    var sizes: [Int] = [256, 512]

    @Option(parsing: .upToNextOption, help: "VGG layers whose 3×3 patches are searched.")
    var layers: [String] = ["relu3_1", "relu4_1"]

    @Option(help: "Side of the square SGEMM whose rate is the reference.")
    var sgemmSize = 2048

    @Option(help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16).")
    var weights: String?

    @Option(help: "Approximate search: dimension of the screening projection.")
    var dimension = ApproximatePatchSearch.Parameters().dimension

    @Option(help: "Approximate search: candidates per patch rescored with the full keys.")
    var candidates = ApproximatePatchSearch.Parameters().candidates

    @Option(help: "Approximate search: sweeps from a random field.")
    var passes = ApproximatePatchSearch.Parameters().passes

    @Option(help: "Approximate search: sweeps from a given field.")
    var warmPasses = ApproximatePatchSearch.Parameters().warmPasses

    @Option(help: "Approximate search: how candidates are screened (sweeps, exhaustive, automatic).")
    var screening = ApproximatePatchSearch.Parameters().screening

    func validate() throws {
        if let bad = sizes.first(where: { $0 < MultiScaleSchedule.minimumSide || $0 > 4096 }) {
            throw ValidationError("sizes must be between \(MultiScaleSchedule.minimumSide) and 4096 pixels, not \(bad)")
        }
        if sgemmSize < 16 || sgemmSize > 8192 {
            throw ValidationError("--sgemm-size must be between 16 and 8192, not \(sgemmSize)")
        }
        for (name, value, low) in [("--dimension", dimension, 1), ("--candidates", candidates, 1),
                                   ("--passes", passes, 0), ("--warm-passes", warmPasses, 0)]
        where value < low || value > 4096 {
            throw ValidationError("\(name) must be between \(low) and 4096, not \(value)")
        }
    }

    func run() throws {
        options.applyThreads()
        let contentImage = try ImageFile.open(Presets.example(content)).readAll().rgbTensor()
        let styleImage = try ImageFile.open(Presets.example(style)).readAll().rgbTensor()
        let vgg = try VGG(contentsOf: WeightsLocation.resolve(explicit: weights), pooling: TransferSettings().pooling)
        let known = vgg.architecture.layerNames
        if let bad = layers.first(where: { !known.contains($0) }) {
            throw ValidationError("unknown layer '\(bad)' (known: \(known.filter { $0.hasPrefix("relu") }.joined(separator: ", ")))")
        }
        var parameters = ApproximatePatchSearch.Parameters()
        parameters.dimension = dimension
        parameters.candidates = candidates
        parameters.passes = passes
        parameters.warmPasses = warmPasses
        parameters.screening = screening
        let benchmark = NearestPatchBenchmark(
            content: contentImage, style: styleImage, contentName: content, styleName: style, vgg: vgg,
            layers: layers, sizes: sizes, repeats: options.repeats, sgemmSize: sgemmSize, parameters: parameters,
            log: options.log)
        let report = try benchmark.run()
        if options.json {
            try printJSON(report)
            return
        }
        print(String(format: "threads %d, SGEMM %d³ %.1f GFLOP/s; %@ searched in %@",
                     report.threads, report.sgemm_size, report.sgemm_gflops, report.content, report.style))
        print("layer    size  exact s  GFLOP/s  /SGEMM  approx s  speed-up  warm s  speed-up  recall 1%  identical")
        for c in report.cases {
            print(String(format: "%-8@ %4d  %7.3f  %7.1f  %6.2f  %8.4f  %8.1f  %6.4f  %8.1f  %9.3f  %9.3f",
                         c.layer, c.size, c.exact_seconds, c.exact_gflops, c.exact_ratio, c.approx_seconds, c.speedup,
                         c.approx_warm_seconds, c.warm_speedup, c.recall_within_1pct, c.recall_exact))
        }
    }
}

struct MultiScaleBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "multiscale",
        abstract: "Single-level optimisation at the output size against the multi-scale schedule: time to the same loss.",
        discussion: """
            Both runs use the same settings (defaults, --config, --set); the single level runs \
            --single-iterations iterations at the output size. Losses are those of one output-size \
            objective with the exact search, evaluated off the clock.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "The content image.")
    var content = "Examples/chelsea.png"

    @Option(help: "The style image.")
    var style = "Examples/starry_night.png"

    @Option(help: "Long side of the output in pixels.")
    var size = 256

    @Option(help: "Iterations of the single-level run.")
    var singleIterations = 60

    @Option(help: "Whole runs (single level, then multi-scale); the ratios' min/median/max are reported (not --repeats).")
    var runs = 3

    @Option(help: "A YAML file of configuration keys.")
    var config: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Override one configuration key.", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16).")
    var weights: String?

    func validate() throws {
        if size < MultiScaleSchedule.minimumSide || size > 4096 {
            throw ValidationError("--size must be between \(MultiScaleSchedule.minimumSide) and 4096, not \(size)")
        }
        if singleIterations < 1 || singleIterations > 100_000 {
            throw ValidationError("--single-iterations must be between 1 and 100000, not \(singleIterations)")
        }
        if runs < 1 || runs > 100 { throw ValidationError("--runs must be between 1 and 100, not \(runs)") }
    }

    func run() throws {
        options.applyThreads()
        var all = StylizeSettings()
        if let config { try Configuration.apply(file: config, to: &all) }
        for override in overrides { try Configuration.apply(override: override, to: &all) }
        let settings = all.transfer
        let contentRaster = try ImageFile.open(Presets.example(content)).readAll()
        let styleRaster = try ImageFile.open(Presets.example(style)).readAll()
        let weightsPath = WeightsLocation.resolve(explicit: weights)
        let vgg = try VGG(contentsOf: weightsPath, pooling: settings.pooling)
        try settings.validate(layerNames: vgg.architecture.layerNames)
        let scale = Double(size) / Double(max(contentRaster.width, contentRaster.height))
        let width = max(1, Int((Double(contentRaster.width) * scale).rounded()))
        let height = max(1, Int((Double(contentRaster.height) * scale).rounded()))
        guard min(width, height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(what: "the output at --size \(size)", width: width, height: height,
                                              minimum: MultiScaleSchedule.minimumSide)
        }
        let inputs = try StylizeInputs(
            content: contentRaster, style: styleRaster, contentPath: content, stylePath: style
        ).make(settings: settings, vgg: vgg)
        let benchmark = MultiScaleBenchmark(
            inputs: inputs, width: width, height: height, settings: settings, singleIterations: singleIterations,
            vgg: vgg, refereeNetwork: try VGG(contentsOf: weightsPath, pooling: settings.pooling), log: options.log)
        var reports: [MultiScaleBenchmark.Report] = []
        for run in 1...runs {
            options.log("run \(run) of \(runs)")
            reports.append(try benchmark.run())
        }
        let summary = MultiScaleBenchmark.Summary(runs: reports)
        if options.json {
            try printJSON(summary)
            return
        }
        let report = reports[0]
        print(String(format: "%dx%d, %@ search, threads %d: single level %d iterations, loss %.5g; multi-scale levels %@ "
                         + "(%@ iterations), final loss %.5g",
                     report.width, report.height, report.search, report.threads, report.single_iterations,
                     report.single_loss, report.levels.map(String.init).joined(separator: ","),
                     report.level_iterations.map(String.init).joined(separator: ","), report.multiscale_final_loss))
        for (index, run) in reports.enumerated() {
            print(String(format: "run %d: single %.1f s, multi-scale %.1f s; single-level loss reached by multi-scale after "
                             + "%.1f s (ratio %.3f); multi-scale loss reached by the single level after %.1f s (ratio %.3f)",
                         index + 1, run.single_seconds, run.multiscale_seconds, run.multiscale_seconds_to_single_loss,
                         run.ratio, run.single_seconds_to_multiscale_loss, run.equal_loss_ratio))
        }
        print(String(format: "ratio min/median/max %.3f/%.3f/%.3f; equal-loss ratio %.3f/%.3f/%.3f", summary.ratio.min,
                     summary.ratio.median, summary.ratio.max, summary.equal_loss_ratio.min, summary.equal_loss_ratio.median,
                     summary.equal_loss_ratio.max))
    }
}

extension ApproximatePatchSearch.Screening: ExpressibleByArgument {}
