import Foundation
import TestSupport
import XCTest

@testable import AtelierCLI

/// The batch file's parts in process: Configs/batch.example.yaml passes the batch's checks and
/// its shared settings stack under each job's own keys; the summary table is aligned and tells
/// the failures. (The process tests of the batch are in BatchRunTests.)
final class BatchFileTests: XCTestCase {
    /// The example, copied beside a stand-in of the job file it names, reads as three jobs whose
    /// keys stack: the shared style and tile under each, a job's own style and size winning, and
    /// relative paths taken from the batch file's folder (or the job file's, for its own keys).
    func testTheExampleBatchReadsAndItsSharedSettingsStackUnderEachJob() throws {
        let folder = try TemporaryDirectory()
        let batch = folder.path("batch.yaml")
        try FileManager.default.copyItem(
            atPath: Fixtures.projectRoot.appendingPathComponent("Configs/batch.example.yaml").path, toPath: batch)
        try FileManager.default.createDirectory(atPath: folder.path("jobs"), withIntermediateDirectories: true)
        try "content: harbour.png\noutput: harbour.png\ntile: {rounds: 3}\n"
            .write(toFile: folder.path("jobs/harbour.yaml"), atomically: true, encoding: .utf8)

        let file = try BatchFile.read(batch)
        XCTAssertEqual(file.entries.map(\.name), ["harbour", "coastline", "portrait"])
        let jobs = try file.entries.map {
            try JobFile.job(from: try file.layers(of: $0), weights: nil, previewDir: nil)
        }
        XCTAssertEqual(
            jobs.map(\.style),
            [folder.path("painting.png"), folder.path("painting.png"), folder.path("other-painting.png")])
        XCTAssertEqual(jobs.map(\.size), [2048, 2048, 1024])
        XCTAssertEqual(jobs.map(\.settings.transfer.seed), [1, 1, 1])
        XCTAssertEqual(jobs[0].content, folder.path("jobs/harbour.png"), "a job file's paths are its own folder's")
        XCTAssertEqual(jobs.map(\.settings.tile.rounds), [3, 2, 2], "tile: {rounds: 3} changes one tile key")
        XCTAssertEqual(jobs.map(\.settings.tile.size), [256, 256, 256])
        XCTAssertEqual(jobs[1].contentSeg, folder.path("photos/coastline-regions.png"))
    }

    /// A key that fails in the shared settings is named with the batch file and `settings`.
    func testABadSharedKeyIsNamedWithItsPlace() throws {
        let folder = try TemporaryDirectory()
        let batch = folder.path("batch.yaml")
        try "settings: {style_wieght: 2}\njobs: [{name: a, content: c.png, style: s.png, output: o.png}]\n"
            .write(toFile: batch, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BatchFile.read(batch)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(batch): settings: "), "\(error)")
            XCTAssertTrue("\(error)".contains("style_wieght"), "\(error)")
        }
    }

    /// The table: columns aligned (numbers to the right), a dash where a failed job has no number,
    /// the failed jobs' reasons, the counts; wall times in seconds, then H:MM:SS.
    func testTheSummaryTableIsAlignedAndTellsTheFailures() {
        var first = BatchState.Job(name: "coastline", status: .done)
        (first.width, first.height, first.seconds, first.tiles, first.retries) = (96, 72, 12.34, 25, 1)
        var second = BatchState.Job(name: "broken", status: .failed)
        (second.seconds, second.reason) = (0.05, "gone.png: no such file")
        var third = BatchState.Job(name: "x", status: .skipped)
        (third.width, third.height, third.seconds, third.tiles, third.retries) = (1024, 768, 3725, 1200, 0)
        let summary = BatchSummary(batch: "b.yaml", runDir: "D", seconds: 20, jobs: [first, second, third])
        XCTAssertEqual(
            summary.table,
            """
            job        status   size      wall time  tiles  retries
            coastline  done     96x72        12.3 s     25        1
            broken     failed   -             0.1 s      -        -
            x          skipped  1024x768    1:02:05   1200        0

            failed:
              broken: gone.png: no such file

            3 jobs: 1 done, 1 skipped (done before), 1 failed, 0 not run

            """)
        XCTAssertFalse(summary.succeeded)
        XCTAssertEqual([summary.done, summary.skipped, summary.failed], [1, 1, 1])
    }
}
