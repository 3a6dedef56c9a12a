import Foundation
import ImageIO
import TestSupport
import XCTest

@testable import Viewer

/// The viewer page in a real browser: Debian's headless Chromium loads it, zooms in twice (the
/// page's `#in=2`, the same steps as its + button) and takes a screenshot, which must show the
/// image at full resolution at the expected place. Chromium is part of Scripts/setup, so a
/// machine without it fails here rather than skipping the only check of the page's script.
final class ViewerBrowserTests: XCTestCase {
    /// The 2048×1786 test image fits a 512×512 window at 1/4; two zoom-ins make it 1:1.
    static let window = 512

    func testTwoZoomStepsShowFullResolutionAtTheCentre() throws {
        let (shot, full) = try screenshotAndLevel(hash: "in=2")
        // The centre pixel (1024, 893) sits at the window's centre (256, 256).
        let difference = Self.compare(shot, full, offsetX: 1024 - 256, offsetY: 893 - 256)
        XCTAssertLessThan(difference.mean, 1.5, "mean difference \(difference)")
        XCTAssertGreaterThan(difference.within, 0.98, "share of pixels within 8 levels: \(difference)")
    }

    func testZoomingInAtAPointShowsThatPlace() throws {
        let (shot, full) = try screenshotAndLevel(hash: "in=2&x=400&y=1500")
        let right = Self.compare(shot, full, offsetX: 400 - 256, offsetY: 1500 - 256)
        XCTAssertLessThan(right.mean, 1.5, "mean difference \(right)")
        // The same picture 64 pixels off is clearly different: the check can tell places apart.
        let wrong = Self.compare(shot, full, offsetX: 400 - 256 + 64, offsetY: 1500 - 256)
        XCTAssertGreaterThan(wrong.mean, 4 * max(right.mean, 1), "shifted \(wrong) against \(right)")
    }

    func testTheOverviewShowsTheWholeImage() throws {
        // At 1/4 the viewer draws Deep Zoom level 9 (512×447, stored level 2) 1:1, 32.75 rows down.
        let (shot, reference) = try screenshotAndLevel(hash: "", level: 2)
        XCTAssertEqual([reference.width, reference.height], [512, 447])
        let difference = Self.compare(shot, reference, offsetX: 0, offsetY: -33)
        XCTAssertLessThan(difference.mean, 1.5, "mean difference \(difference)")
    }

    /// The viewer's screenshot at `hash` (PNG tiles) and the test image's stored pyramid `level`
    /// as tifffile reads it.
    private func screenshotAndLevel(
        hash: String, level: Int = 0
    ) throws -> (shot: ReferenceImages.Pixels, image: ReferenceImages.Pixels) {
        let viewer = try RunningViewer(
            paths: [ViewerFixtures.pyramid], configuration: .init(port: 0, tileFormat: .png))
        return (
            try screenshot(viewer, hash: hash),
            try ReferenceImages.readWithTifffile(ViewerFixtures.pyramid, level: level)
        )
    }

    /// Runs headless Chromium on the viewer page with `hash` and returns its screenshot.
    ///
    /// Chromium's `--virtual-time-budget` does not always wait for a tile's load and the canvas
    /// redraw it triggers: on a loaded machine up to one screenshot in four shows the page before
    /// any tile (the toolbar drawn, the canvas still its background colour). Such a blank shot says
    /// nothing about the page, so it is taken again with a longer budget, at most four times; a
    /// shot with the wrong picture is returned at once and fails the comparison.
    private func screenshot(_ viewer: RunningViewer, hash: String) throws -> ReferenceImages.Pixels {
        guard
            let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            throw RawHTTP.Failure(description: "chromium is not installed: run Scripts/setup (Debian's chromium)")
        }
        var shot: ReferenceImages.Pixels?
        for budget in [15_000, 30_000, 60_000, 120_000] {
            let folder = try TemporaryDirectory()
            let path = folder.path("shot.png")
            try ReferenceTool.run(
                chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                    "--user-data-dir=\(folder.path("profile"))", "--window-size=\(Self.window),\(Self.window)",
                    "--virtual-time-budget=\(budget)", "--screenshot=\(path)",
                    "http://127.0.0.1:\(viewer.port)/view/hubble#\(hash)",
                ])
            let taken = try ReferenceImages.readWithPillow(path)
            XCTAssertEqual([taken.width, taken.height], [Self.window, Self.window])
            shot = taken
            if !Self.isBlank(taken) { break }
            print("chromium's screenshot with a \(budget) ms budget shows no tile yet; taking it again")
        }
        return shot!
    }

    /// Whether the canvas below the toolbar (rows 48 on) is one flat colour: no tile drawn.
    static func isBlank(_ shot: ReferenceImages.Pixels) -> Bool {
        let samples = shot.samples8
        let first = Array(samples[(48 * shot.width * shot.channels)...].prefix(3))
        for y in 48..<shot.height {
            for x in 0..<shot.width {
                let offset = (y * shot.width + x) * shot.channels
                for channel in 0..<3 where abs(Int(samples[offset + channel]) - Int(first[channel])) > 2 {
                    return false
                }
            }
        }
        return true
    }

    /// Mean absolute difference of the colour channels, and the share of pixels within 8 levels,
    /// between the screenshot below its toolbar (rows 48 on) and `image` shifted by the offsets.
    /// Pixels of the screenshot off the image are left out; at least half must be on it.
    static func compare(
        _ shot: ReferenceImages.Pixels, _ image: ReferenceImages.Pixels, offsetX: Int, offsetY: Int
    ) -> (mean: Double, within: Double) {
        let a = shot.samples8
        let b = image.samples8
        var total = 0.0
        var close = 0
        var count = 0
        for y in 48..<shot.height {
            for x in 0..<shot.width {
                let (imageX, imageY) = (x + offsetX, y + offsetY)
                guard (0..<image.width).contains(imageX), (0..<image.height).contains(imageY) else { continue }
                count += 1
                var largest = 0
                for channel in 0..<3 {
                    let difference = abs(
                        Int(a[(y * shot.width + x) * shot.channels + channel])
                            - Int(b[(imageY * image.width + imageX) * image.channels + channel]))
                    total += Double(difference) / 3
                    largest = max(largest, difference)
                }
                if largest <= 8 { close += 1 }
            }
        }
        guard count * 2 >= shot.width * (shot.height - 48) else { return (255, 0) }
        return (total / Double(count), Double(close) / Double(count))
    }
}
