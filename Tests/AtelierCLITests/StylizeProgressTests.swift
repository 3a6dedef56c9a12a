@testable import AtelierCLI
import Pipeline
import Transfer
import XCTest

/// `stylize`'s progress: the ETA arithmetic of `WorkEstimate` against hand-computed numbers, and
/// the plain lines `StylizeProgress` writes when standard error is not a terminal (a fake clock,
/// so the lines are exact).
final class StylizeProgressTests: XCTestCase {
    /// Two untiled levels: 32×24 for 3 iterations, 64×48 for 2.
    private func plan() -> LevelPlan {
        var transfer = TransferSettings()
        transfer.coarseSize = 32
        transfer.iterations = [3, 2]
        return LevelPlan(width: 64, height: 48, transfer: transfer, tile: TileSettings(), alignment: 8)
    }

    func testWorkCountsPixelIterationsOfEveryLevel() {
        let plan = plan()
        XCTAssertEqual(plan.levels.map { [$0.width, $0.height, $0.iterations] }, [[32, 24, 3], [64, 48, 2]])
        XCTAssertEqual(WorkEstimate(plan: plan).total, Double(32 * 24 * 3 + 64 * 48 * 2))
    }

    /// Remaining work at the rate kept so far: 1000 of 4000 units in 10 s leave 30 s; work a
    /// resumed run found done counts as neither this run's rate nor what is left.
    func testETAIsTheRemainingWorkAtTheMeasuredRate() {
        var work = WorkEstimate(total: 4000)
        XCTAssertNil(work.secondsLeft(elapsed: 5), "no ETA before any work")
        work.add(1000)
        XCTAssertEqual(work.secondsLeft(elapsed: 10)!, 30, accuracy: 1e-9)
        work.skip(2000)
        XCTAssertEqual(work.secondsLeft(elapsed: 10)!, 10, accuracy: 1e-9)
        XCTAssertEqual(work.fraction, 0.75, accuracy: 1e-12)
        work.add(5000)
        XCTAssertEqual(work.secondsLeft(elapsed: 10)!, 0, "never below zero")
    }

    func testTheTableEstimateScalesWithThreads() {
        let work = WorkEstimate(total: 10e6)
        XCTAssertEqual(work.estimatedSeconds(threads: 1), 10 * WorkEstimate.secondsPerMegaPixelIterationOnOneCore,
                       accuracy: 1e-9)
        XCTAssertEqual(work.estimatedSeconds(threads: 2), work.estimatedSeconds(threads: 1) / 2, accuracy: 1e-9)
    }

    func testDurationsReadAsPeopleSayThem() {
        XCTAssertEqual(DurationText.of(42.4), "42 s")
        XCTAssertEqual(DurationText.of(185), "3 min 05 s")
        XCTAssertEqual(DurationText.of(2 * 3600 + 7 * 60 + 30), "2 h 07 min")
        XCTAssertEqual(DurationText.of(.infinity), "?")
    }

    /// Not on a terminal: the plan, then a progress line only once 10 s have passed since the
    /// last line (with the ETA from the measured rate and the share done), and `wrote`.
    func testPlainLinesOffATerminal() {
        var text = ""
        var now = 100.0
        let progress = StylizeProgress(
            plan: plan(), isTerminal: false, verbosity: .normal, write: { text += $0 }, clock: { now })
        progress.announce(threads: 2, workers: 1, runDirectory: nil, automaticRunDirectory: false)
        progress.iteration(level: 0, iteration: 0, loss: 1234.5)
        now += 11
        // 2 iterations of 32×24 done (1536 of 8448 units) in 11 s: 6912 units left take 49.5 s.
        progress.iteration(level: 0, iteration: 1, loss: 1000)
        now += 1
        progress.wrote("out.png", width: 64, height: 48)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, text)
        XCTAssertTrue(lines[0].hasPrefix("plan: 2 levels: 32x24 3 it, 64x48 2 it; about "), lines[0])
        XCTAssertTrue(lines[0].contains("on 2 threads (estimate from a table"), lines[0])
        XCTAssertEqual(lines[1], "level 1/2 32x24: iteration 2/3, loss 1000, 11 s elapsed, ETA 50 s (18%)")
        XCTAssertEqual(lines[2], "wrote out.png (64x48, 12 s)")
        XCTAssertFalse(text.contains("\r"), "no carriage return off a terminal")
    }

    /// On a terminal the live line is redrawn in place and cleared before a plain line; quiet
    /// writes nothing; verbose writes every iteration as a line of its own.
    func testLiveLineOnATerminalQuietAndVerbose() {
        var text = ""
        let live = StylizeProgress(plan: plan(), isTerminal: true, write: { text += $0 }, clock: { 0 })
        live.iteration(level: 1, iteration: 0, loss: 5)
        XCTAssertTrue(text.hasPrefix("\r\u{1B}[Klevel 2/2 64x48: iteration 1/2, loss 5, 0 s elapsed"), text)
        XCTAssertFalse(text.contains("\n"))
        live.wrote("o.png", width: 64, height: 48)
        XCTAssertTrue(text.hasSuffix("\r\u{1B}[Kwrote o.png (64x48, 0 s)\n"), text)

        var quietText = ""
        let quiet = StylizeProgress(plan: plan(), isTerminal: true, verbosity: .quiet, write: { quietText += $0 })
        quiet.announce(threads: 1, workers: 1, runDirectory: nil, automaticRunDirectory: false)
        quiet.iteration(level: 0, iteration: 0, loss: 1)
        quiet.wrote("o.png", width: 64, height: 48)
        XCTAssertEqual(quietText, "")

        var verboseText = ""
        let verbose = StylizeProgress(plan: plan(), isTerminal: true, verbosity: .verbose, write: { verboseText += $0 })
        for iteration in 0..<3 { verbose.iteration(level: 0, iteration: iteration, loss: 1) }
        XCTAssertEqual(verboseText.split(separator: "\n").count, 3, verboseText)
    }
}
