import Foundation
import ImageIO
import Network
import Pipeline
import Semantics
import Tensor
import Transfer

/// `atelier bench pipeline`: what the coordinator and its protocol cost per tile (with a no-op
/// tile computation, so nothing else is timed), and how a real tiled job scales with workers and
/// threads on this machine.
struct PipelineBenchmark {
    /// The no-op rounds through one transport.
    struct TransportResult: Codable {
        var transport: String
        /// Seconds per round through the coordinator: min, median, max.
        var seconds: [Double]
        /// Tiles per second at the median round (and at the slowest and fastest).
        var tiles_per_second: Double
        var tiles_per_second_min: Double
        var tiles_per_second_max: Double
        /// Seconds per round building each task and calling the no-op directly: min, median, max.
        var direct_seconds: [Double]
        /// (median round − median direct round) / tiles, in milliseconds: encoding, the sockets,
        /// decoding, the board and the checks, per tile.
        var overhead_ms_per_tile: Double
    }

    struct NoOpReport: Codable {
        var level_size: Int
        var tile_size: Int
        var tiles_per_round: Int
        /// Bytes of one encoded TASK and its RESULT, for the first tile (an interior one is larger).
        var task_bytes: Int
        var result_bytes: Int
        var transports: [TransportResult]
    }

    /// One real run: `workers` in-process workers, each with `threads` engine threads.
    struct RealRun: Codable {
        var workers: Int
        var threads: Int
        /// Wall seconds of the whole job: min, median, max.
        var seconds: [Double]
    }

    struct RealReport: Codable {
        var width: Int
        var height: Int
        var tile_size: Int
        var tiles: Int
        var iterations: Int
        var runs: [RealRun]
        /// Median seconds of 1 worker × 1 thread over 1 worker × 2 threads, and over 2 workers × 1 thread.
        var speedup_one_worker_two_threads: Double
        var speedup_two_workers_one_thread: Double
    }

    struct Report: Codable {
        var repeats: Int
        var real_repeats: Int
        var noop: NoOpReport
        var real: RealReport
    }

    /// The real job's files and size.
    struct RealJob {
        var content: Raster
        var style: Raster
        var weights: VGGWeights
        var size: Int
        var tileSize: Int
        var iterations: Int
    }

    var repeats: Int
    var realRepeats: Int
    var noOpSize: Int
    var noOpTileSize: Int
    var transports: [String]
    var real: RealJob
    var log: (String) -> Void

    func run() throws -> Report {
        Report(repeats: repeats, real_repeats: realRepeats, noop: try measureNoOp(), real: try measureReal())
    }

    // MARK: - No-op tiles through the coordinator

    private func measureNoOp() throws -> NoOpReport {
        var tile = TileSettings()
        tile.size = noOpTileSize
        tile.overlap = noOpTileSize / 4 / 8 * 8
        let grid = TileGrid(width: noOpSize, height: noOpSize, round: 0, settings: tile, alignment: 8)
        var random = SplitMix64(seed: 1)
        let image = Tensor(channels: 3, height: noOpSize, width: noOpSize)
        image.withUnsafeMutableBufferPointer {
            for i in $0.indices { $0[i] = Float(random.next() >> 40) / Float(1 << 24) }
        }
        let canvas = MemoryCanvas(image)
        let style = StyleMessage(
            job: "bench", level: 0, styleSet: 0, settings: TransferSettings(),
            style: Tensor(channels: 3, height: 8, width: 8), styleSemantics: [], semanticWeights: [])
        func task(_ key: TileResultKey) -> TaskMessage {
            let tile = grid.tile(key.tile)
            let pixels = canvas.read(tile.context)
            return TaskMessage(
                key: key, styleSet: 0, context: tile.context, result: tile.resultInContext, iterations: 0,
                seed: 0, initial: pixels, content: pixels, contentSemantics: [])
        }
        // Every round gets keys of its own (a level per round): the board never sees a key twice.
        var level = 0
        func keys() -> [TileResultKey] {
            level += 1
            return (0..<grid.count).map { TileResultKey(job: "bench", level: level, round: 0, tile: $0) }
        }
        let computation = PassThroughTileComputation()
        let first = task(keys()[0])
        let taskBytes = Message.task(first).encoded().count
        let resultBytes = Message.result(try computation.solve(first)).encoded().count

        var failure: Error?
        let direct = Timing.measure(repeats: repeats) {
            do { for key in keys() { _ = try computation.solve(task(key)) } } catch { failure = error }
        }
        var results: [TransportResult] = []
        for transport in transports {
            let pool = try InProcessWorkers(
                count: 1, bind: transport == "tcp" ? "tcp://127.0.0.1:*" : nil,
                makeSolver: { PassThroughTileComputation() })
            let rounds = Timing.measure(repeats: repeats) {
                do {
                    let round = keys()
                    let out = try pool.coordinator.run(style: style, keys: round, task: task)
                    if out.count != round.count {
                        throw PipelineError.task(reason: "\(out.count) of \(round.count) results")
                    }
                } catch {
                    failure = failure ?? error
                }
            }
            try pool.shutdown()
            if let failure { throw failure }
            let tiles = Double(grid.count)
            results.append(
                TransportResult(
                    transport: transport, seconds: [rounds.min, rounds.median, rounds.max],
                    tiles_per_second: tiles / rounds.median, tiles_per_second_min: tiles / rounds.max,
                    tiles_per_second_max: tiles / rounds.min, direct_seconds: [direct.min, direct.median, direct.max],
                    overhead_ms_per_tile: (rounds.median - direct.median) / tiles * 1000))
            log(
                String(
                    format:
                        "no-op %@: %d tiles of %d² in %.4f s (min %.4f, max %.4f): %.0f tiles/s, overhead %.3f ms/tile",
                    transport, grid.count, noOpTileSize, rounds.median, rounds.min, rounds.max,
                    tiles / rounds.median, results.last!.overhead_ms_per_tile))
        }
        return NoOpReport(
            level_size: noOpSize, tile_size: noOpTileSize, tiles_per_round: grid.count,
            task_bytes: taskBytes, result_bytes: resultBytes, transports: results)
    }

    // MARK: - A real job with workers and threads

    private func measureReal() throws -> RealReport {
        var settings = StylizeSettings()
        settings.transfer.mode = .mrf  // patches on features alone: no automatic segmentation before the tiles
        settings.transfer.coarseSize = real.size  // one level, all of it tiled
        settings.transfer.iterations = [real.iterations]
        settings.tile.size = real.tileSize
        settings.tile.overlap = real.tileSize / 4 / 8 * 8
        let vgg = VGG(weights: real.weights, pooling: settings.transfer.pooling)
        try settings.validate(architecture: vgg.architecture)
        let content = real.content.rgbTensor()
        let width = content.width >= content.height ? real.size : max(1, real.size * content.width / content.height)
        let height = content.width >= content.height ? max(1, real.size * content.height / content.width) : real.size
        let inputs = MultiScaleStylizer.Inputs(content: content, style: real.style.rgbTensor())
        let plan = LevelPlan(
            width: width, height: height, transfer: settings.transfer, tile: settings.tile,
            alignment: try settings.geometry(of: vgg.architecture).alignment)
        let tiles = plan.levels.flatMap(\.rounds).reduce(0) { $0 + $1.grid.count }

        var runs: [RealRun] = []
        for (workers, threads) in [(1, 1), (1, 2), (2, 1)] {
            Engine.setThreads(threads)
            var failure: Error?
            // No warm-up run: each run builds its workers, networks and style banks afresh, as a job
            // does (its in-process workers share one network's weights, as `stylize --workers` does).
            let timing = Timing(
                seconds: (0..<realRepeats).map { _ in
                    Timing.clock {
                        do {
                            let pool = try InProcessWorkers(
                                count: workers,
                                makeSolver: {
                                    TileSolver(vgg: vgg.sharingWeights(pooling: settings.transfer.pooling))
                                })
                            defer { try? pool.shutdown() }
                            _ = try TiledStylizer(vgg: vgg, settings: settings).run(
                                inputs, width: width, height: height, executor: pool.coordinator)
                        } catch {
                            failure = failure ?? error
                        }
                    }
                })
            if let failure { throw failure }
            runs.append(RealRun(workers: workers, threads: threads, seconds: [timing.min, timing.median, timing.max]))
            log(
                String(
                    format: "real %dx%d, %d tiles: %d worker(s) × %d thread(s): %.2f s (min %.2f, max %.2f)",
                    width, height, tiles, workers, threads, timing.median, timing.min, timing.max))
        }
        let median = { (run: RealRun) in run.seconds[1] }
        return RealReport(
            width: width, height: height, tile_size: real.tileSize, tiles: tiles, iterations: real.iterations,
            runs: runs,
            speedup_one_worker_two_threads: median(runs[0]) / median(runs[1]),
            speedup_two_workers_one_thread: median(runs[0]) / median(runs[2]))
    }
}
