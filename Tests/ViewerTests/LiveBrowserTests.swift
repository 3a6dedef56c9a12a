import Foundation
import ImageIO
import TestSupport
import XCTest

@testable import Viewer

/// The live page in Debian's headless Chromium during a small run (`LiveJob`): with the first
/// tile of the finest level done and the second leased, the screenshot shows the done tile's
/// result pixels and the other tiles under the grid's colours. The page sets `data-complete` on
/// its body once the overview of its latest status is drawn; the screenshot is taken again
/// (a bounded number of times) until the DOM dumped with it says so, rather than trusting a time budget.
final class LiveBrowserTests: XCTestCase {
    /// 2 screen pixels per level pixel: the 192×128 level is drawn 384×256 at (8, 48) of the page
    /// (the canvas starts under the 40-pixel bar, the image 8 pixels in).
    static let scale = 2
    static let origin = (x: 8, y: 48)

    func testTheLivePageShowsTheGridAndADoneTile() throws {
        let job = try LiveJob()
        defer { XCTAssertNil(job.complete()) }
        job.release()
        let status = try job.wait("tile 0 done and tile 1 leased") { status in
            status.level == LiveJob.finestLevel + 1 && status.tiles[0].state == "done"
                && status.tiles[1].state == "leased"
        }
        let shot = try screenshot(port: job.viewer.port) { $0.contains("data-done=\"1\"") }
        let record = try XCTUnwrap(job.results.value[0])
        let tile = status.tiles[0]
        // The done tile's core, inside its frame and away from its neighbours' overlap.
        let inside = PixelRect(x: tile.x + 2, y: tile.y + 2, width: tile.width - 19, height: tile.height - 19)
        let done = difference(shot, inside) {
            x, y, channel in Double(record.pixels[channel, y - record.rect.y, x - record.rect.x]) * 255
        }
        XCTAssertLessThan(done, 2, "mean difference of the done tile from its result")
        // The leased tile is tinted amber (red up, blue down against the grey of a queued one).
        let leased = status.tiles[1], queued = status.tiles[5]
        let amber = meanColour(shot, PixelRect(x: leased.x + 20, y: leased.y + 20, width: 20, height: 20))
        let grey = meanColour(shot, PixelRect(x: queued.x + 20, y: queued.y + 20, width: 20, height: 20))
        XCTAssertGreaterThan(amber[0] - amber[2], grey[0] - grey[2] + 40, "leased \(amber), queued \(grey)")
    }

    /// Mean absolute difference over `rect` (level pixels) between the screenshot and `expected`.
    private func difference(
        _ shot: ReferenceImages.Pixels, _ rect: PixelRect, expected: (Int, Int, Int) -> Double
    ) -> Double {
        var total = 0.0
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) {
                let (screenX, screenY) = (Self.origin.x + x * Self.scale, Self.origin.y + y * Self.scale)
                for channel in 0..<3 {
                    let shown = Double(shot.samples8[(screenY * shot.width + screenX) * shot.channels + channel])
                    total += abs(shown - min(max(expected(x, y, channel), 0), 255).rounded())
                }
            }
        }
        return total / Double(rect.width * rect.height * 3)
    }

    private func meanColour(_ shot: ReferenceImages.Pixels, _ rect: PixelRect) -> [Double] {
        (0..<3).map { channel in
            var total = 0.0
            for y in rect.y..<(rect.y + rect.height) {
                for x in rect.x..<(rect.x + rect.width) {
                    let (screenX, screenY) = (Self.origin.x + x * Self.scale, Self.origin.y + y * Self.scale)
                    total += Double(shot.samples8[(screenY * shot.width + screenX) * shot.channels + channel])
                }
            }
            return total / Double(rect.width * rect.height)
        }
    }

    /// A screenshot of the live page whose dumped DOM is complete and passes `ready`, taken again
    /// up to five times, each with a longer virtual-time budget.
    private func screenshot(port: Int, ready: (String) -> Bool) throws -> ReferenceImages.Pixels {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            throw RawHTTP.Failure(description: "chromium is not installed: run Scripts/setup (Debian's chromium)")
        }
        var dom = ""
        for attempt in 1...5 {
            let folder = try TemporaryDirectory()
            let path = folder.path("live.png")
            dom = try ReferenceTool.run(chromium, [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=\(folder.path("profile"))", "--window-size=800,400",
                "--virtual-time-budget=\(4000 * attempt)", "--screenshot=\(path)", "--dump-dom",
                "http://127.0.0.1:\(port)/#scale=\(Self.scale)",
            ])
            if dom.contains("data-complete=\"yes\"") && ready(dom) {
                let shot = try ReferenceImages.readWithPillow(path)
                XCTAssertEqual([shot.width, shot.height], [800, 400])
                return shot
            }
        }
        throw RawHTTP.Failure(description: "the live page never said it was complete: \(dom.prefix(600))")
    }
}
