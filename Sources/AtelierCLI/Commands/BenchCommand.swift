import ArgumentParser
import Foundation
import Tensor

/// `atelier bench …`: speed measured as ratios within one process (DESIGN.md §8).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed as ratios against SGEMM in the same process.",
        subcommands: [EngineBenchCommand.self, PipelineBenchCommand.self]
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
            help: "Convolution lowerings to measure per layer (im2col, shifted); the first is used for the pass.")
    var lowerings: [String] = [Conv3x3.lowering.rawValue]

    func validate() throws {
        if let bad = (sizes + [passSize, sgemmSize]).first(where: { $0 < 16 || $0 > 4096 }) {
            throw ValidationError("sizes must be between 16 and 4096 pixels, not \(bad)")
        }
        if let bad = lowerings.first(where: { Conv3x3.Lowering(rawValue: $0) == nil }) {
            throw ValidationError("unknown lowering '\(bad)' (expected im2col or shifted)")
        }
    }

    func run() throws {
        options.applyThreads()
        let benchmark = EngineBenchmark(
            repeats: options.repeats, sizes: sizes, lowerings: lowerings.compactMap(Conv3x3.Lowering.init(rawValue:)),
            passSize: passSize, sgemmSize: sgemmSize, log: options.log)
        let report = benchmark.run()
        if options.json {
            try printJSON(report)
            return
        }
        print(String(format: "threads %d, SGEMM %d³ %.1f GFLOP/s (min %.1f, max %.1f)",
                     report.threads, report.sgemm_size, report.sgemm_gflops, report.sgemm_gflops_min, report.sgemm_gflops_max))
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
    }
}
