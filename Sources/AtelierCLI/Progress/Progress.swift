import Foundation
import Pipeline
import Transfer

/// One progress line per finished level or round (`stylize` and the coordinator print them).
enum Progress {
    static func line(_ report: MultiScaleStylizer.LevelReport) {
        FileHandle.standardError.write(Data((text(report) + "\n").utf8))
    }

    static func text(_ report: MultiScaleStylizer.LevelReport) -> String {
        let first = report.lossTrace.first ?? .nan, last = report.lossTrace.last ?? .nan
        let rest = report.seconds - report.vggSeconds - report.searchSeconds
        return String(
            format: "level %d/%d %dx%d: %d iterations (%d evaluations), loss %.4g -> %.4g "
                + "(content %.3g, style %.3g, tv %.3g), %.1f s (VGG %.1f s, search %.1f s, rest %.1f s)",
            report.index + 1, report.count, report.width, report.height, report.iterations, report.evaluations,
            first, last, report.terms.content, report.terms.style, report.terms.tv,
            report.seconds, report.vggSeconds, report.searchSeconds, rest)
    }

    /// One line per finished round of a tiled level: the sums of the tiles' losses.
    static func line(_ report: TiledStylizer.RoundReport) {
        FileHandle.standardError.write(Data((text(report) + "\n").utf8))
    }

    static func text(_ report: TiledStylizer.RoundReport) -> String {
        let first = report.tileLosses.reduce(0) { $0 + $1.first }, last = report.tileLosses.reduce(0) { $0 + $1.last }
        return String(
            format: "level %d/%d %dx%d round %d/%d: %d tiles, %d iterations, tile losses %.4g -> %.4g, %.1f s",
            report.level + 1, report.levels, report.width, report.height, report.round + 1, report.rounds,
            report.tiles, report.iterations, first, last, report.seconds)
    }
}
