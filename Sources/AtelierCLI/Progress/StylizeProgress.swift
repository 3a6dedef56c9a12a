import Foundation
import Pipeline
import Transfer

/// How much a command tells on standard error (`--quiet`, `--verbose`).
enum Verbosity: Sendable {
    /// Warnings and errors only.
    case quiet
    /// The plan, a live line on a terminal (a plain line every few seconds otherwise), one line
    /// per level or round, and the output written.
    case normal
    /// Also one plain line per iteration (or per tile when workers solve them).
    case verbose
}

/// What `stylize` tells while it runs, like the coordinator's `RunProgress`: a plan line up front
/// (levels, sizes, tiles, iterations, the estimated time), a live line redrawn in place on a
/// terminal (level, iteration of total, loss, elapsed, ETA; tile and workers when tiled), plain
/// lines otherwise, and `wrote O` at the end.
final class StylizeProgress {
    private let plan: LevelPlan
    private let isTerminal: Bool
    private let verbosity: Verbosity
    private let write: (String) -> Void
    private let clock: () -> Double
    private let start: Double
    private var lastPlainLine: Double
    /// Whether the live line is on screen (and must be erased before a plain line).
    private var liveLineShown = false
    private(set) var work: WorkEstimate
    /// Seconds between plain progress lines when standard error is not a terminal.
    static let plainInterval = 10.0

    /// - Parameters:
    ///   - write: where the text goes (standard error; a test's buffer).
    ///   - clock: seconds from any fixed origin (a test's fake clock).
    init(
        plan: LevelPlan, isTerminal: Bool = isatty(STDERR_FILENO) != 0, verbosity: Verbosity = .normal,
        write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        clock: @escaping () -> Double = { Date().timeIntervalSinceReferenceDate }
    ) {
        self.plan = plan
        self.isTerminal = isTerminal
        self.verbosity = verbosity
        self.write = write
        self.clock = clock
        start = clock()
        lastPlainLine = start
        work = WorkEstimate(plan: plan)
    }

    var elapsed: Double { clock() - start }

    /// The plan: levels with their sizes and iterations (tiles and rounds where a level is cut),
    /// the estimate of the whole run, and where its run directory is when it has one.
    func announce(threads: Int, workers: Int, runDirectory: String?, automaticRunDirectory: Bool) {
        let levels = plan.levels.map { level -> String in
            let size = "\(level.width)x\(level.height)"
            guard !level.isSingleTile else { return "\(size) \(level.iterations) it" }
            let tiles = level.rounds.map(\.grid.count).max() ?? 0
            return "\(size) \(level.rounds.count) \(plural(level.rounds.count, "round")) of \(tiles) tiles"
                + " x \(level.rounds.first?.iterations ?? 0) it"
        }
        var text = "plan: \(plan.levels.count) \(plural(plan.levels.count, "level")): "
            + levels.joined(separator: ", ")
        text += "; about \(DurationText.of(work.estimatedSeconds(threads: threads * max(1, workers))))"
            + " on \(threads) \(plural(threads, "thread"))"
            + (workers > 1 ? " x \(workers) workers" : "")
            + " (estimate from a table measured on a 2-core machine; the live line measures this run)"
        if let runDirectory {
            text += automaticRunDirectory
                ? "; run directory \(runDirectory) (removed after success unless --keep-run-dir)"
                : "; run directory \(runDirectory)"
        }
        plainLine(text)
    }

    /// After each iteration of a whole level (`MultiScaleStylizer`).
    func iteration(level index: Int, iteration: Int, loss: Double) {
        let level = plan.levels[index]
        work.add(Double(level.width * level.height))
        show(String(
            format: "level %d/%d %dx%d: iteration %d/%d, loss %.4g", index + 1, plan.levels.count,
            level.width, level.height, iteration + 1, level.iterations, loss))
    }

    /// After each iteration of a tile solved in this process.
    func iteration(tile key: TileResultKey, iteration: Int, loss: Double) {
        let level = plan.levels[key.level], round = level.rounds[key.round]
        let context = round.grid.tile(key.tile).context
        work.add(Double(context.width * context.height))
        var text = String(
            format: "level %d/%d %dx%d: iteration %d/%d, loss %.4g", key.level + 1, plan.levels.count,
            level.width, level.height, iteration + 1, round.iterations, loss)
        if !level.isSingleTile {
            text += ", round \(key.round + 1)/\(level.rounds.count), tile \(key.tile + 1)/\(round.grid.count)"
        }
        show(text)
    }

    /// After each tile accepted from a worker (which reports no iterations).
    func tile(_ progress: TileCoordinator.RoundProgress) {
        let key = progress.key
        let level = plan.levels[key.level], round = level.rounds[key.round]
        let context = round.grid.tile(key.tile).context
        work.add(Double(context.width * context.height * round.iterations))
        show("level \(key.level + 1)/\(plan.levels.count) \(level.width)x\(level.height) round \(key.round + 1)/"
            + "\(level.rounds.count): \(progress.done)/\(progress.total) tiles, \(progress.workersAlive) "
            + "\(plural(progress.workersAlive, "worker")) alive")
    }

    /// When a resumed round finds `stored` of its tiles solved by an earlier attempt.
    func resumed(level index: Int, round: Int, stored: Int) {
        let level = plan.levels[index], grid = level.rounds[round].grid
        let perTile = WorkEstimate.units(of: level) / Double(max(1, level.rounds.count * grid.count))
        work.skip(perTile * Double(stored))
    }

    /// When a resumed run finds `roundsCompleted` rounds of a level done by an earlier attempt.
    func skipped(level index: Int, roundsCompleted: Int) {
        let level = plan.levels[index]
        work.skip(WorkEstimate.units(of: level) * Double(min(roundsCompleted, level.rounds.count))
            / Double(max(1, level.rounds.count)))
    }

    /// After each whole level: its line (as `stylize` always printed it) and the ETA.
    func level(_ report: MultiScaleStylizer.LevelReport) {
        plainLine(Progress.text(report) + timing)
    }

    /// After each round of a tiled level.
    func round(_ report: TiledStylizer.RoundReport) {
        plainLine(Progress.text(report) + timing)
    }

    /// At the end: the output and the run's time.
    func wrote(_ path: String, width: Int, height: Int) {
        plainLine("wrote \(path) (\(width)x\(height), \(DurationText.of(elapsed)))")
    }

    /// A line of its own (a warning, a note), after the live line is cleared.
    func note(_ text: String) {
        plainLine(text)
    }

    /// Clears the live line (before an error is printed).
    func finish() {
        if liveLineShown { write("\r\u{1B}[K") }
        liveLineShown = false
    }

    /// ", 12 s elapsed, ETA 1 min 05 s".
    private var timing: String {
        let elapsed = self.elapsed
        let eta = work.secondsLeft(elapsed: elapsed).map { ", ETA \(DurationText.of($0))" } ?? ""
        return ", \(DurationText.of(elapsed)) elapsed\(eta)"
    }

    /// The live line on a terminal (redrawn in place); a plain line every `plainInterval` seconds
    /// otherwise, or every time when verbose.
    private func show(_ text: String) {
        guard verbosity != .quiet else { return }
        let line = text + timing + String(format: " (%.0f%%)", work.fraction * 100)
        if verbosity == .verbose {
            plainLine(line)
        } else if isTerminal {
            write("\r\u{1B}[K" + line)
            liveLineShown = true
        } else if clock() - lastPlainLine >= Self.plainInterval {
            plainLine(line)
        }
    }

    private func plainLine(_ text: String) {
        guard verbosity != .quiet else { return }
        finish()
        write(text + "\n")
        lastPlainLine = clock()
    }

    private func plural(_ count: Int, _ word: String) -> String {
        count == 1 ? word : word + "s"
    }
}
