import ArgumentParser
import Foundation

/// `atelier bench scaling`: the coordinator with N simulated worker processes (issue 18).
struct ScalingBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaling",
        abstract: "Efficiency of one coordinator with N simulated worker processes, a plot and a projection.",
        discussion: """
            For each N of --workers: N `atelier worker --simulate SECONDS` processes on loopback TCP (each tile a \
            sleep, its pixels returned unsolved), a warm-up round of N tiles, then a timed round of \
            N × --tiles-per-worker gigapixel tiles (512² cores, 672² contexts, as Configs/gigapixel.yaml). \
            Efficiency = ideal seconds (⌈tiles / N⌉ × SECONDS) / measured; speed-up = tiles × SECONDS / measured; \
            coordinator CPU per tile from getrusage over the timed round. --plot writes speed-up against N (log2 \
            axes, ideal in grey, measured in blue). The projection (Cluster/README.md gives the formula): wall \
            time for a --projection-side² job on NODESxCORES of --projection, over a coordinator link of \
            --link-gbits, from --core-seconds-per-megapixel and the measured bytes and coordinator CPU per tile.
            """)

    @OptionGroup var options: BenchOptions

    @Option(parsing: .upToNextOption, help: "Worker process counts to run.")
    var workers: [Int] = [1, 2, 4, 8, 16, 32, 64]

    @Option(help: "Seconds each simulated tile sleeps (the measured per-tile time).")
    var simulateSeconds = 10.0

    @Option(help: "Tiles of the timed round per worker.")
    var tilesPerWorker = 3

    @Option(help: "Where to write the plot (PNG).")
    var plot = "scaling.png"

    @Option(parsing: .upToNextOption, help: "NODESxCORES configurations to project for.")
    var projection: [String] = ["50x2", "16x16"]

    @Option(help: "The coordinator's link, in Gbit/s, for the projection.")
    var linkGbits = 1.0

    @Option(help: "Core-seconds per output megapixel at gigapixel settings (5.2 MP/h/core measured: 692).")
    var coreSecondsPerMegapixel = 692.0

    @Option(help: "Side of the square job projected (32768: 1.07 gigapixels).")
    var projectionSide = 32768

    func validate() throws {
        if let bad = workers.first(where: { $0 < 1 || $0 > 1024 }) {
            throw ValidationError("--workers must be between 1 and 1024, not \(bad)")
        }
        if !(simulateSeconds > 0 && simulateSeconds <= 600) {
            throw ValidationError("--simulate-seconds must be above 0 and at most 600, not \(simulateSeconds)")
        }
        if tilesPerWorker < 1 { throw ValidationError("--tiles-per-worker must be at least 1, not \(tilesPerWorker)") }
        if !(linkGbits > 0) { throw ValidationError("--link-gbits must be above 0, not \(linkGbits)") }
        if !(coreSecondsPerMegapixel > 0) {
            throw ValidationError("--core-seconds-per-megapixel must be above 0, not \(coreSecondsPerMegapixel)")
        }
        if projectionSide < 512 || projectionSide > 1 << 20 {
            throw ValidationError("--projection-side must be between 512 and 1048576, not \(projectionSide)")
        }
        _ = try parsedProjections()
    }

    private func parsedProjections() throws -> [(nodes: Int, cores: Int)] {
        try projection.map { text in
            let parts = text.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 >= 1 && $0 <= 1 << 20 }) else {
                throw ValidationError("--projection must be NODESxCORES (e.g. 50x2), not '\(text)'")
            }
            return (parts[0], parts[1])
        }
    }

    func run() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let report = try ScalingBenchmark(
            workerCounts: workers, simulateSeconds: simulateSeconds, tilesPerWorker: tilesPerWorker,
            executable: executable, projections: try parsedProjections(), linkGbits: linkGbits,
            coreSecondsPerMegapixel: coreSecondsPerMegapixel, projectionSide: projectionSide, log: options.log
        ).run()
        try ScalingPlot(points: report.runs.map { ($0.workers, $0.speedup) }).write(to: plot)
        if options.json { return try printJSON(report) }
        print(String(
            format: "tile %d² (context %d²): TASK %d bytes, RESULT %d bytes; each simulated tile sleeps %.2f s",
            report.tile_size, report.context_size, report.task_bytes, report.result_bytes, report.simulate_seconds))
        print("workers  tiles  seconds  ideal  efficiency  speed-up  coordinator CPU ms/tile")
        for run in report.runs {
            print(String(
                format: "%7d  %5d  %7.2f  %5.2f  %10.3f  %8.1f  %8.2f", run.workers, run.tiles, run.seconds,
                run.ideal_seconds, run.efficiency, run.speedup, run.coordinator_cpu_ms_per_tile))
        }
        print("plot: \(plot)")
        print(String(
            format: "projection: %d² (%d tiles, %d rounds), %.0f core-s/MP, link %.1f Gbit/s",
            report.projection_side, report.projection_tiles, report.projection_rounds,
            report.core_seconds_per_megapixel, linkGbits))
        for p in report.projections {
            print(String(
                format: "  %d nodes × %d cores: %.2f h (compute %.2f, link %.2f, coordinator %.2f, round tails %.2f)",
                p.nodes, p.cores, p.wall_hours, p.compute_hours, p.link_hours, p.coordinator_hours, p.tail_hours))
        }
    }
}
