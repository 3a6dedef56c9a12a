import Foundation
import ImageIO
import Pipeline
import Tensor
import TestSupport
import XCTest

@testable import Viewer

/// The live view against a small real run (`LiveJob`: a coordinator, one in-process worker, the
/// finest level's tiles let through one at a time): `/status.json` shows a tile queued, leased to
/// the worker by name, then done; `/live/canvas.png` shows a done tile's result; the finished
/// levels' previews are their canvases; `/metrics` has the run's numbers; bad requests get clear
/// statuses.
final class LiveRunTests: XCTestCase {
    func testATileTurnsFromQueuedToLeasedToDone() throws {
        let job = try LiveJob()
        defer { XCTAssertNil(job.complete()) }
        let finest = LiveJob.finestLevel + 1
        let first = try job.wait("the finest level's first lease") { status in
            status.level == finest && status.tiles.first?.state == "leased"
        }
        XCTAssertEqual(first.tiles.count, 6)
        XCTAssertEqual(first.tiles[0].workers, ["worker 1"])
        XCTAssertEqual(first.tiles[1].state, "queued")
        XCTAssertEqual(first.counts, LiveStatus.Counts(total: 6, done: 0, leased: 1, retried: 0, queued: 5))
        XCTAssertEqual(first.workersAlive, 1)
        XCTAssertEqual([first.width, first.height], [LiveJob.width, LiveJob.height])
        // The grid covers the level: the tiles' cores add up to its area.
        XCTAssertEqual(first.tiles.reduce(0) { $0 + $1.width * $1.height }, LiveJob.width * LiveJob.height)

        var seen = ["queued"]
        for _ in 0..<2 {
            job.release()
            let status = try job.wait("tile 1 to change") { $0.tiles[1].state != seen.last! }
            seen.append(status.tiles[1].state)
            if status.tiles[1].state == "done" { break }
        }
        XCTAssertEqual(seen, ["queued", "leased", "done"])
        let status = try job.status()
        XCTAssertEqual(status.tiles[0].state, "done")
        XCTAssertEqual(status.counts.done, 2)
        XCTAssertGreaterThanOrEqual(status.tilesAccepted, 2)
        XCTAssertEqual(status.workers.map(\.name), ["worker 1"])
        XCTAssertGreaterThan(status.bytesIn, 0)
        XCTAssertGreaterThan(status.bytesOut, 0)
        XCTAssertEqual(status.previews.map(\.level), [1], "the coarse level is finished, the finest is not")
    }

    func testTheOverviewShowsADoneTilesResult() throws {
        let job = try LiveJob()
        defer { XCTAssertNil(job.complete()) }
        job.release()
        let status = try job.wait("tile 0 done") { $0.level == LiveJob.finestLevel + 1 && $0.tiles[0].state == "done" }
        let answer = try job.viewer.http.get("/live/canvas.png")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.headers["content-type"], "image/png")
        let folder = try TemporaryDirectory()
        try Data(answer.body).write(to: URL(fileURLWithPath: folder.path("canvas.png")))
        let canvas = try ReferenceImages.readWithPillow(folder.path("canvas.png"))
        XCTAssertEqual([canvas.width, canvas.height], [LiveJob.width, LiveJob.height])
        XCTAssertEqual(status.overview?.factor, 1)
        let record = try XCTUnwrap(job.results.value[0])
        // Inside tile 0's core, away from where its neighbours' results reach (the overlap).
        let core = status.tiles[0]
        let inside = PixelRect(x: core.x, y: core.y, width: core.width - 17, height: core.height - 17)
        let largest = Self.largestDifference(canvas, over: inside) { x, y, channel in
            record.pixels[channel, y - record.rect.y, x - record.rect.x]
        }
        XCTAssertLessThanOrEqual(largest, 1, "the overview differs from the tile's result by \(largest) levels")
    }

    func testFinishedLevelsHaveTheirCanvasAsPreview() throws {
        let job = try LiveJob()
        XCTAssertNil(job.complete())
        let status = try job.status()
        XCTAssertEqual(status.state, "finished")
        XCTAssertEqual(status.previews.map(\.level), [1, 2])
        XCTAssertEqual(status.counts.done, 6)
        let folder = try TemporaryDirectory()
        for preview in status.previews {
            let answer = try job.viewer.http.get(preview.url)
            XCTAssertEqual(answer.status, 200, preview.url)
            let path = folder.path("level-\(preview.level).png")
            try Data(answer.body).write(to: URL(fileURLWithPath: path))
            let pixels = try ReferenceImages.readWithPillow(path)
            let canvas = try XCTUnwrap(job.canvases.value[preview.level - 1])
            XCTAssertEqual([pixels.width, pixels.height], [canvas.width, canvas.height])
            let largest = Self.largestDifference(pixels, over: PixelRect(width: canvas.width, height: canvas.height)) {
                x, y, channel in canvas[channel, y, x]
            }
            XCTAssertLessThanOrEqual(largest, 1, "level \(preview.level)'s preview is off its canvas by \(largest)")
        }
    }

    /// The largest difference, in 8-bit levels, between `image` over `rect` and `expected` (values
    /// in 0…1, clamped and rounded as an 8-bit PNG holds them).
    private static func largestDifference(
        _ image: ReferenceImages.Pixels, over rect: PixelRect, expected: (Int, Int, Int) -> Float
    ) -> Int {
        var largest = 0
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) {
                for channel in 0..<3 {
                    let value = Int((Double(min(max(expected(x, y, channel), 0), 1)) * 255).rounded())
                    let shown = Int(image.samples8[(y * image.width + x) * image.channels + channel])
                    largest = max(largest, abs(value - shown))
                }
            }
        }
        return largest
    }

    /// Watching changes nothing: the watched run's final canvas has the bytes of the same job
    /// solved in order in this process, with no coordinator and no live view.
    func testAWatchedRunGivesTheUnwatchedBytes() throws {
        let job = try LiveJob()
        XCTAssertNil(job.complete())
        let watched = try XCTUnwrap(job.canvases.value[LiveJob.finestLevel])
        let reference = try TiledStylizer(vgg: LiveJob.vgg(), settings: LiveJob.settings, job: "live-test")
            .run(LiveJob.inputs(), width: LiveJob.width, height: LiveJob.height)
        XCTAssertEqual(watched.array.map(\.bitPattern), reference.array.map(\.bitPattern))
    }

    func testMetricsCarryTheRunsNumbers() throws {
        let job = try LiveJob()
        XCTAssertNil(job.complete())
        let text = String(decoding: try job.viewer.http.get("/metrics").body, as: UTF8.self)
        let value = { (name: String) -> Double? in
            let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            return line.flatMap { Double($0.split(separator: " ").last!) }
        }
        // Two tiles or more at the coarse level, six at the finest.
        XCTAssertGreaterThanOrEqual(value("atelier_run_tiles_done_total") ?? 0, 7, text)
        XCTAssertEqual(value("atelier_run_level"), 2, text)
        XCTAssertEqual(value("atelier_run_level_progress"), 1, text)
        XCTAssertEqual(value("atelier_run_queue_depth"), 0, text)
        XCTAssertEqual(value("atelier_run_finished"), 1, text)
        XCTAssertGreaterThan(value("atelier_run_bytes_in_total") ?? 0, 0, text)
        XCTAssertTrue(text.contains("atelier_run_worker_tiles_total{worker=\"worker 1\"}"), text)
        XCTAssertTrue(text.contains("atelier_run_worker_seconds_total{worker=\"worker 1\"}"), text)
        XCTAssertNotNil(value("atelier_viewer_peak_resident_bytes"), text)
    }

    func testBadRequestsGetClearStatuses() throws {
        let live = LiveRun()
        let viewer = try RunningViewer(live: live)
        let http = viewer.http
        // Before any level: the status says so, there is no overview yet.
        let status = try JSONDecoder().decode(LiveStatus.self, from: Data(try http.get("/status.json").body))
        XCTAssertEqual(status.state, "starting")
        XCTAssertEqual(try http.get("/live/canvas.png").status, 404)
        XCTAssertEqual(try http.get("/status.json", method: "POST").status, 405)
        XCTAssertEqual(try http.get("/live/levels/1.png").status, 404)
        XCTAssertEqual(try http.get("/live/levels/0.png").status, 404)
        XCTAssertEqual(try http.get("/live/levels/-1.png").status, 404)
        XCTAssertEqual(try http.get("/live/levels/one.png").status, 404)
        XCTAssertEqual(try http.get("/live/levels/9999999.png").status, 404)
        XCTAssertEqual(try http.get("/live/../status.json").status, 404)
        XCTAssertEqual(try http.get("/images/run.dzi").status, 404)
        XCTAssertEqual(try http.get("/status.json?" + String(repeating: "a", count: 5000)).status, 414)
        XCTAssertEqual(try http.get("/status.json?since=3").status, 200)
        let page = try http.get("/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(String(decoding: page.body, as: UTF8.self).contains("/status.json"))
        // A file server has no live routes.
        let files = try RunningViewer(paths: [ViewerFixtures.pyramid])
        XCTAssertEqual(try files.http.get("/status.json").status, 404)
    }
}
