import ArgumentParser
import Foundation
import ImageIO
import Network

/// `atelier bench pipeline`: the coordinator's cost per tile and the scaling of a real tiled job
/// (issue 7), beside `bench engine`.
struct PipelineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract:
            "Tiles per second through the coordinator, its overhead per tile, and workers-versus-threads scaling.",
        discussion: """
            No-op: one worker whose tile computation returns the task's initial pixels, fed the tiles of a \
            --noop-size square level cut into --noop-tile tiles, one round per repeat, through the coordinator over \
            inproc:// and tcp loopback. Real: a one-level tiled job (mrf mode, --real-iterations iterations, two \
            rounds) of --content in --style's style at --real-size, run by 1 worker × 1 thread, 1 worker × 2 threads \
            and 2 workers × 1 thread, each --real-repeats times.

            JSON fields (--json): repeats, real_repeats; noop: level_size, tile_size, tiles_per_round, task_bytes, \
            result_bytes (the first tile's encoded TASK and RESULT), transports[]: transport (inproc or tcp), \
            seconds [min, median, max] per round, tiles_per_second (at the median; _min at the slowest round, _max at \
            the fastest), direct_seconds [min, median, max] per round building each task and calling the no-op \
            without the coordinator, overhead_ms_per_tile = (median seconds − median direct_seconds) / tiles × 1000. \
            real: width, height, tile_size, tiles (over both rounds), iterations, runs[]: workers, threads, seconds \
            [min, median, max]; speedup_one_worker_two_threads and speedup_two_workers_one_thread: the median of 1 \
            worker × 1 thread over the median of the other.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "Side of the square level cut into tiles for the no-op rounds.")
    var noopSize = 1024

    @Option(help: "Tile size (core side) of the no-op rounds.")
    var noopTile = 128

    @Option(help: "Long side of the real job's output.")
    var realSize = 192

    @Option(help: "Tile size of the real job.")
    var realTile = 64

    @Option(help: "L-BFGS iterations of the real job (split over its two rounds).")
    var realIterations = 4

    @Option(help: "Timed runs of each real configuration.")
    var realRepeats = 3

    @Option(help: "The real job's content image.")
    var content = "Examples/chelsea.png"

    @Option(help: "The real job's style image.")
    var style = "Examples/starry_night.png"

    @Option(
        help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16 from Scripts/fetch-weights).")
    var weights: String?

    func validate() throws {
        if noopSize < 64 || noopSize > 8192 {
            throw ValidationError("--noop-size must be between 64 and 8192, not \(noopSize)")
        }
        if noopTile < 32 || noopTile > noopSize || noopTile % 8 != 0 {
            throw ValidationError("--noop-tile must be a multiple of 8 between 32 and --noop-size, not \(noopTile)")
        }
        if realSize < 48 || realSize > 2048 {
            throw ValidationError("--real-size must be between 48 and 2048, not \(realSize)")
        }
        if realTile < 32 || realTile % 8 != 0 {
            throw ValidationError("--real-tile must be a multiple of 8 of at least 32, not \(realTile)")
        }
        if realIterations < 1 { throw ValidationError("--real-iterations must be at least 1, not \(realIterations)") }
        if realRepeats < 1 { throw ValidationError("--real-repeats must be at least 1, not \(realRepeats)") }
    }

    func run() throws {
        options.applyThreads()
        let job = PipelineBenchmark.RealJob(
            content: try ImageFile.open(content).readAll(), style: try ImageFile.open(style).readAll(),
            weights: try VGGWeights(contentsOf: WeightsLocation.resolve(explicit: weights)),
            size: realSize, tileSize: realTile, iterations: realIterations)
        let report = try PipelineBenchmark(
            repeats: options.repeats, realRepeats: realRepeats, noOpSize: noopSize, noOpTileSize: noopTile,
            transports: ["inproc", "tcp"], real: job, log: options.log
        ).run()
        if options.json {
            try printJSON(report)
            return
        }
        print(
            String(
                format: "no-op: %d tiles of %d² per round (TASK %d bytes, RESULT %d bytes)",
                report.noop.tiles_per_round,
                report.noop.tile_size, report.noop.task_bytes, report.noop.result_bytes))
        for t in report.noop.transports {
            print(
                String(
                    format: "  %@ %8.0f tiles/s (min %.0f, max %.0f); overhead %.3f ms per tile",
                    t.transport.padding(toLength: 6, withPad: " ", startingAt: 0),
                    t.tiles_per_second, t.tiles_per_second_min, t.tiles_per_second_max, t.overhead_ms_per_tile))
        }
        let real = report.real
        print(
            String(
                format: "real: %dx%d, tile %d, %d tiles, %d iterations", real.width, real.height, real.tile_size,
                real.tiles, real.iterations))
        for run in real.runs {
            print(
                String(
                    format: "  %d worker(s) × %d thread(s): %.2f s (min %.2f, max %.2f)", run.workers, run.threads,
                    run.seconds[1], run.seconds[0], run.seconds[2]))
        }
        print(
            String(
                format: "  speedup over 1×1: 1 worker × 2 threads %.2f, 2 workers × 1 thread %.2f",
                real.speedup_one_worker_two_threads, real.speedup_two_workers_one_thread))
    }
}
