import Foundation
import ImageIO
import Pipeline
import Tensor
import Transfer

/// `atelier bench scaling`: one coordinator (this process) and N real `atelier worker --simulate`
/// processes on loopback TCP, for each N asked: each tile costs the workers a sleep of the per-tile
/// time and the coordinator everything it really does per tile (making and encoding a TASK of a
/// gigapixel tile, the sockets, decoding and checking the RESULT). Efficiency is the ideal time
/// (⌈tiles / N⌉ sleeps) over the measured one. Storing and blending the results are not timed
/// here: `bench pipeline` and the run directory's own figures cover them.
struct ScalingBenchmark {
    struct Run: Codable {
        var workers: Int
        var tiles: Int
        var seconds: Double
        var ideal_seconds: Double
        var efficiency: Double
        /// tiles × simulated seconds / measured seconds: the speed-up over one worker without overhead.
        var speedup: Double
        /// Coordinator CPU (user + system) over the timed round, per tile, in milliseconds.
        var coordinator_cpu_ms_per_tile: Double
    }

    struct Projection: Codable {
        var nodes: Int
        var cores: Int
        var link_gbits: Double
        /// The three bounds of the formula (Cluster/README.md) and the round tails, in hours.
        var compute_hours: Double
        var link_hours: Double
        var coordinator_hours: Double
        var tail_hours: Double
        var wall_hours: Double
    }

    struct Report: Codable {
        var simulate_seconds: Double
        var tile_size: Int
        var context_size: Int
        var task_bytes: Int
        var result_bytes: Int
        var runs: [Run]
        /// The job the projection is for: its side, tiles and barriers (rounds over all levels).
        var projection_side: Int
        var projection_tiles: Int
        var projection_rounds: Int
        var core_seconds_per_megapixel: Double
        var projections: [Projection]
    }

    var workerCounts: [Int]
    var simulateSeconds: Double
    var tilesPerWorker: Int
    var executable: String
    /// (nodes, cores) pairs to project for, over a link of `linkGbits`.
    var projections: [(nodes: Int, cores: Int)]
    var linkGbits: Double
    var coreSecondsPerMegapixel: Double
    var projectionSide: Int
    var log: (String) -> Void

    /// The coordinator's settings, with speculative copies off: every simulated tile takes the same
    /// time, so a copy never finishes first and only keeps a worker busy past the round's end
    /// (measured with them: 2 workers took 60.8 s for 40 s of sleeps, one of them still sleeping on
    /// a copy of a warm-up tile when the timed round began).
    static func coordinatorSettings() -> TileCoordinator.Settings {
        var settings = TileCoordinator.Settings()
        settings.board.maximumCopies = 1
        return settings
    }

    func run() throws -> Report {
        let template = Self.gigapixelTask()
        let style = StyleMessage(
            job: "scaling", level: 0, styleSet: 0, settings: StylizeSettings.gigapixel.transfer,
            style: Tensor(channels: 3, height: 8, width: 8), styleSemantics: [], semanticWeights: [])
        var taskBytes = 0, resultBytes = 0
        var runs: [Run] = []
        let processes = SimulatedWorkerProcesses()
        for count in workerCounts {
            let pool = try InProcessWorkers(
                count: 0, settings: Self.coordinatorSettings(), bind: "tcp://127.0.0.1:*",
                makeSolver: { PassThroughTileComputation() },
                log: { FileHandle.standardError.write(Data("coordinator: \($0)\n".utf8)) })
            defer {
                processes.endAll()
                try? pool.shutdown()
            }
            for _ in 0..<count {
                _ = try processes.spawn(executable, arguments: [
                    "worker", "--connect", pool.endpoint, "--threads", "1", "--simulate", String(simulateSeconds),
                ])
            }
            func task(_ key: TileResultKey) -> TaskMessage {
                var task = template
                task.key = key
                return task
            }
            // A first round of one tile per worker: every worker has connected, said READY and
            // holds the style before the timed round starts.
            let warmUp = (0..<count).map { TileResultKey(job: "scaling", level: 0, round: 0, tile: $0) }
            try pool.coordinator.run(style: style, keys: warmUp, task: task) { _ in }
            let tiles = count * tilesPerWorker
            let keys = (0..<tiles).map { TileResultKey(job: "scaling", level: 1, round: 0, tile: $0) }
            let cpu = Self.processCPUSeconds()
            let seconds = try Timing.clockThrowing {
                try pool.coordinator.run(style: style, keys: keys, task: task) { record in
                    if resultBytes == 0 { resultBytes = Message.result(record).encoded().count }
                }
            }
            let cpuPerTile = (Self.processCPUSeconds() - cpu) / Double(tiles)
            if taskBytes == 0 { taskBytes = Message.task(template).encoded().count }
            let ideal = Double((tiles + count - 1) / count) * simulateSeconds
            let run = Run(
                workers: count, tiles: tiles, seconds: seconds, ideal_seconds: ideal, efficiency: ideal / seconds,
                speedup: Double(tiles) * simulateSeconds / seconds, coordinator_cpu_ms_per_tile: cpuPerTile * 1000)
            runs.append(run)
            log(String(
                format: "%4d workers: %d tiles in %.2f s (ideal %.2f): efficiency %.3f, speed-up %.1f, "
                    + "coordinator CPU %.2f ms/tile", count, tiles, seconds, ideal, run.efficiency, run.speedup,
                run.coordinator_cpu_ms_per_tile))
        }
        let settings = StylizeSettings.gigapixel
        let plan = LevelPlan(
            width: projectionSide, height: projectionSide, transfer: settings.transfer, tile: settings.tile,
            alignment: 8)
        let rounds = plan.levels.flatMap(\.rounds)
        let tiles = rounds.reduce(0) { $0 + $1.grid.count }
        // The coordinator's cost per tile at the most workers measured (its queues are longest there).
        let coordinatorSeconds = (runs.last?.coordinator_cpu_ms_per_tile ?? 0) / 1000
        let megapixels = Double(projectionSide) * Double(projectionSide) / 1e6
        let projected = projections.map { nodes, cores in
            Self.project(
                megapixels: megapixels, tiles: tiles, rounds: rounds.count, nodes: nodes, cores: cores,
                linkGbits: linkGbits, coreSecondsPerMegapixel: coreSecondsPerMegapixel,
                bytesPerTile: taskBytes + resultBytes, coordinatorSecondsPerTile: coordinatorSeconds)
        }
        return Report(
            simulate_seconds: simulateSeconds, tile_size: settings.tile.size, context_size: template.context.width,
            task_bytes: taskBytes, result_bytes: resultBytes, runs: runs, projection_side: projectionSide,
            projection_tiles: tiles, projection_rounds: rounds.count,
            core_seconds_per_megapixel: coreSecondsPerMegapixel, projections: projected)
    }

    /// The wall time of a job on `nodes` × `cores` single-threaded workers (Cluster/README.md):
    /// the largest of the compute, the coordinator's link and the coordinator's CPU (they overlap),
    /// plus one average tile per round (each round is a barrier whose last tiles run alone).
    static func project(
        megapixels: Double, tiles: Int, rounds: Int, nodes: Int, cores: Int, linkGbits: Double,
        coreSecondsPerMegapixel: Double, bytesPerTile: Int, coordinatorSecondsPerTile: Double
    ) -> Projection {
        let coreSeconds = megapixels * coreSecondsPerMegapixel
        let compute = coreSeconds / Double(nodes * cores)
        let link = Double(tiles) * Double(bytesPerTile) * 8 / (linkGbits * 1e9)
        let coordinator = Double(tiles) * coordinatorSecondsPerTile
        let tail = Double(rounds) * coreSeconds / Double(tiles)
        let hours = { (seconds: Double) in seconds / 3600 }
        return Projection(
            nodes: nodes, cores: cores, link_gbits: linkGbits, compute_hours: hours(compute), link_hours: hours(link),
            coordinator_hours: hours(coordinator), tail_hours: hours(tail),
            wall_hours: hours(max(compute, link, coordinator) + tail))
    }

    /// A TASK of an interior 512² tile of a gigapixel level (672² context): a smooth Float32
    /// canvas, an 8-bit content, a five-region one-hot segmentation and a 16-bit lighting pair,
    /// which is what such a task carries (TaskBytesTests measures one made from a real image).
    static func gigapixelTask() -> TaskMessage {
        let side = 672, result = PixelRect(x: 48, y: 48, width: 576, height: 576)
        func field(_ channels: Int, _ value: (Int, Int, Int) -> Float) -> Tensor {
            let tensor = Tensor(channels: channels, height: side, width: side)
            tensor.withUnsafeMutableBufferPointer { values in
                for c in 0..<channels {
                    for y in 0..<side {
                        for x in 0..<side { values[(c * side + y) * side + x] = value(c, y, x) }
                    }
                }
            }
            return tensor
        }
        var random = SplitMix64(seed: 3)
        let noise = (0..<(side * side)).map { _ in Float(random.next() >> 40) / Float(1 << 24) }
        let canvas = field(3) { c, y, x in
            0.5 + 0.3 * sin(Float(x + 40 * c) / 37) * cos(Float(y) / 23) + 0.05 * noise[y * side + x]
        }
        let content = field(3) { c, y, x in
            ((0.5 + 0.4 * sin(Float(x * (c + 1)) / 29 + Float(y) / 41)) * 255).rounded() * (1 / Float(255))
        }
        let segmentation = field(5) { c, y, x in (x / 140 + y / 300) % 5 == c ? 1 : 0 }
        let light = field(2) { c, y, x in
            let level = 0.5 + 0.45 * sin(Float(x + 2 * y) / 400)
            return ((c == 0 ? level : 1 - level) * 65535).rounded() * (1 / Float(65535))
        }
        return TaskMessage(
            key: TileResultKey(job: "scaling", level: 0, round: 0, tile: 0), styleSet: 0,
            context: PixelRect(x: 4096, y: 4096, width: side, height: side), result: result, iterations: 3, seed: 1,
            initial: canvas, content: content, contentSemantics: [segmentation, light])
    }

    /// This process's CPU seconds so far, user and system (`getrusage`).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

extension Timing {
    /// Seconds that `work` takes, passing on its error.
    static func clockThrowing(_ work: () throws -> Void) throws -> Double {
        var failure: Error?
        let seconds = clock {
            do { try work() } catch { failure = error }
        }
        if let failure { throw failure }
        return seconds
    }
}
