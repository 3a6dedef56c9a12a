import Foundation
import Pipeline
import Tensor

/// What a coordinator tells while it runs and leaves behind: a live line per level and round
/// (tiles done / total, tiles per second, ETA, workers alive), redrawn in place on a terminal and
/// written as plain log lines (every few seconds) otherwise; the per-round line of `stylize`; and
/// at the end a JSON summary (per level: tiles, retries, seconds; per worker: tiles done, BLAS kernel).
final class RunProgress {
    /// One level's line in the summary.
    struct Level: Codable, Equatable {
        var level: Int
        var width: Int
        var height: Int
        /// Tiles solved by this coordinator's workers.
        var tiles: Int
        /// Tiles a resumed run found stored by an earlier attempt (not solved again).
        var storedTiles: Int
        var retries: Int
        var seconds: Double
    }

    /// One worker's line in the summary.
    struct Worker: Codable, Equatable {
        var name: String
        var tiles: Int
        /// The worker's SGEMM kernel and CPU extensions, as it said in READY.
        var blasKernel: String?
    }

    /// The JSON summary (`--summary`).
    struct Summary: Codable, Equatable {
        var output: String
        var seconds: Double
        var levels: [Level]
        var workers: [Worker]
        var retries: Int
        var speculativeLeases: Int
        var duplicates: Int
        var deadWorkers: Int
        var failures: Int
    }

    private let coordinator: TileCoordinator
    private let isTerminal: Bool
    private let start = Date()
    private var levelStart = Date()
    private var roundStart = Date()
    private var lastLine = Date.distantPast
    private var levelRetriesBefore = 0
    private var levelTiles = 0
    private var levelStoredTiles = 0
    private let levelCount: Int
    /// The coordinator's counts when this run started: a batch runs its jobs on one coordinator,
    /// and each job's summary tells its own retries and tiles only.
    private let countsBefore: TaskBoard.Counts
    private let tilesBefore: [String: Int]
    private(set) var levels: [Level] = []
    /// Seconds between plain progress lines when standard error is not a terminal.
    private let plainInterval: TimeInterval = 5

    init(coordinator: TileCoordinator, levels: Int, isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.coordinator = coordinator
        levelCount = levels
        self.isTerminal = isTerminal
        countsBefore = coordinator.board.counts
        tilesBefore = coordinator.tilesDone
        levelRetriesBefore = countsBefore.retries
    }

    /// After each accepted tile: the live line.
    func tile(_ progress: TileCoordinator.RoundProgress) {
        let now = Date()
        let elapsed = max(now.timeIntervalSince(roundStart), 1e-3)
        let rate = Double(progress.done) / elapsed
        let eta = rate > 0 ? Double(progress.total - progress.done) / rate : .infinity
        let text = String(
            format: "level %d/%d round %d: %d/%d tiles, %.2f tiles/s, ETA %.0f s, %d ",
            progress.key.level + 1, levelCount, progress.key.round + 1, progress.done,
            progress.total, rate, eta, progress.workersAlive) + (progress.workersAlive == 1 ? "worker" : "workers")
            + " alive"
        if isTerminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        } else if now.timeIntervalSince(lastLine) >= plainInterval {
            lastLine = now
            FileHandle.standardError.write(Data("\(text)\n".utf8))
        }
    }

    /// After each round: the round's line, as `stylize` prints it.
    func round(_ report: TiledStylizer.RoundReport) {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        Progress.line(report)
        levelTiles += report.tiles - report.storedTiles
        levelStoredTiles += report.storedTiles
        roundStart = Date()
    }

    /// After each level: its line in the summary.
    func level(_ index: Int, _ canvas: any Canvas) {
        let retries = coordinator.board.counts.retries
        levels.append(Level(
            level: index + 1, width: canvas.width, height: canvas.height, tiles: levelTiles,
            storedTiles: levelStoredTiles, retries: retries - levelRetriesBefore,
            seconds: Date().timeIntervalSince(levelStart)))
        levelRetriesBefore = retries
        levelTiles = 0
        levelStoredTiles = 0
        levelStart = Date()
    }

    /// The summary of the whole run.
    func summary(output: String) -> Summary {
        let counts = coordinator.board.counts, before = countsBefore
        let tiles = coordinator.tilesDone.merging(tilesBefore.mapValues { -$0 }) { $0 + $1 }
        return Summary(
            output: output, seconds: Date().timeIntervalSince(start), levels: levels,
            workers: tiles.keys.sorted().filter { tiles[$0]! > 0 }.map {
                Worker(name: $0, tiles: tiles[$0]!, blasKernel: coordinator.kernels[$0])
            },
            retries: counts.retries - before.retries,
            speculativeLeases: counts.speculativeLeases - before.speculativeLeases,
            duplicates: counts.duplicates - before.duplicates, deadWorkers: counts.deadWorkers - before.deadWorkers,
            failures: counts.failures - before.failures)
    }

    /// Writes the summary as JSON (snake_case keys, sorted) to `path`.
    func write(_ summary: Summary, to path: String) throws {
        try JSONFile.write(summary, to: path)
    }
}
