import Foundation
import Pipeline

/// The work of a run counted in pixel-iterations (one iteration over one pixel of a level or of a
/// tile's context), the unit of the plan's estimate and of the live ETA: every iteration costs a
/// VGG forward and backward pass and a patch search over the pixels it optimises, so the time of
/// a level grows with its pixels times its iterations.
struct WorkEstimate: Equatable {
    /// Every iteration of every tile of every round of every level.
    let total: Double
    /// Done by this run.
    private(set) var done = 0.0
    /// Done by an earlier attempt (tiles or levels a resumed run found stored): not this run's
    /// rate, not left to do either.
    private(set) var skipped = 0.0

    /// Seconds per million pixel-iterations at the default settings on one core of this project's
    /// reference machine (a 2-core x86-64 node, OpenBLAS): the gallery's chelsea in the Starry
    /// Night's style at 256 px is 2.61 M pixel-iterations (128x85 x 80 + 256x170 x 40) in 50 s on
    /// its 2 idle cores. Small levels cost more per pixel (each evaluation has fixed costs), so
    /// large outputs come out a little faster than this says. The plan's estimate before anything ran.
    static let secondsPerMegaPixelIterationOnOneCore = 38.0

    init(total: Double) {
        self.total = total
    }

    init(plan: LevelPlan) {
        total = plan.levels.reduce(0) { $0 + Self.units(of: $1) }
    }

    /// A level's pixel-iterations: each round's tiles' contexts times the round's iterations.
    static func units(of level: LevelPlan.Level) -> Double {
        level.rounds.reduce(0) { sum, round in
            let pixels = round.grid.tiles.reduce(0) { $0 + Double($1.context.width * $1.context.height) }
            return sum + Double(round.iterations) * pixels
        }
    }

    mutating func add(_ units: Double) { done += units }

    mutating func skip(_ units: Double) { skipped += units }

    /// What is left, in pixel-iterations.
    var remaining: Double { max(0, total - done - skipped) }

    /// The fraction of the run behind it (done or skipped), 0 to 1.
    var fraction: Double { total > 0 ? min(1, (done + skipped) / total) : 1 }

    /// Seconds left at the rate this run has kept over `elapsed` seconds (nil before any work).
    func secondsLeft(elapsed: Double) -> Double? {
        guard done > 0, elapsed > 0 else { return nil }
        return remaining * elapsed / done
    }

    /// The plan's estimate of the whole run on `threads` threads, from the table's rate (the
    /// engine's GEMMs scale close to linearly with cores on this size of machine).
    func estimatedSeconds(threads: Int) -> Double {
        total / 1e6 * Self.secondsPerMegaPixelIterationOnOneCore / Double(max(1, threads))
    }
}

/// Durations as people read them: "42 s", "3 min 05 s", "2 h 07 min".
enum DurationText {
    static func of(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }
}
