import Foundation
import ImageIO
import TestSupport
import XCTest

@testable import Viewer

/// The server over real loopback connections: statuses of good and bad requests, caching
/// headers, tile pixels, metrics and the log.
final class ViewerServerTests: XCTestCase {
    static let pngTiles = ViewerConfiguration(port: 0, tileFormat: .png, idleTimeout: .milliseconds(500))

    func testDescriptorAndPagesAnswer() throws {
        let viewer = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        let descriptor = try viewer.http.get("/images/hubble.dzi")
        XCTAssertEqual(descriptor.status, 200)
        XCTAssertEqual(descriptor.headers["content-type"], "application/xml")
        XCTAssertTrue(
            String(decoding: descriptor.body, as: UTF8.self).contains("<Size Width=\"2048\" Height=\"1786\"/>"))
        let page = try viewer.http.get("/")
        XCTAssertEqual(page.status, 200)
        let html = String(decoding: page.body, as: UTF8.self)
        XCTAssertTrue(html.contains("const SOURCE = \"/images/hubble\""))
        XCTAssertFalse(
            html.contains("http://") || html.contains("https://") || html.contains("src=\"//"),
            "the page must load nothing from elsewhere")
        XCTAssertEqual(try viewer.http.get("/view/hubble").status, 200)
    }

    /// A served PNG tile, decoded by Pillow, is the box average of the stored level's region as
    /// the project's reader reads it (computed in a Float64 loop here).
    func testTilesHoldTheRegionTheyName() throws {
        let viewer = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        let folder = try TemporaryDirectory()
        let layout = DeepZoomLayout(width: 2048, height: 1786)
        for (level, column, row, stored, factor) in [
            (11, 3, 2, 0, 1), (9, 1, 1, 2, 1), (7, 0, 0, 3, 2), (5, 0, 0, 3, 8),
        ] {
            let answer = try viewer.http.get("/images/hubble_files/\(level)/\(column)_\(row).png")
            XCTAssertEqual(answer.status, 200, "level \(level)")
            XCTAssertEqual(answer.headers["content-type"], "image/png")
            let path = folder.path("\(level).png")
            try Data(answer.body).write(to: URL(fileURLWithPath: path))
            let tile = try ReferenceImages.readWithPillow(path)
            let rect = try XCTUnwrap(layout.tileRect(level: level, column: column, row: row))
            XCTAssertEqual([tile.width, tile.height], [rect.width, rect.height])
            let sourceRect = AreaDownsampling.inputRect(
                for: rect, factor: factor,
                sourceSize: try TIFFReader(path: ViewerFixtures.pyramid, level: stored).info
                    .pyramid[stored])
            let region = try TIFFReader(path: ViewerFixtures.pyramid, level: stored).read(region: sourceRect)
            let expected = ViewerFixtures.boxAverage(region, factor: factor)
            XCTAssertLessThanOrEqual(ViewerFixtures.largestDifference(tile.samples8, expected), factor == 1 ? 0 : 1)
        }
    }

    func testTilesCarryCachingHeadersAndRevalidate() throws {
        let viewer = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        let first = try viewer.http.get("/images/hubble_files/10/1_1.png")
        XCTAssertEqual(first.status, 200)
        let etag = try XCTUnwrap(first.headers["etag"])
        XCTAssertTrue(etag.hasPrefix("\"") && etag.hasSuffix("-10-1-1-png\""), etag)
        XCTAssertEqual(first.headers["cache-control"], "public, max-age=86400")
        let again = try viewer.http.get("/images/hubble_files/10/1_1.png", headers: ["If-None-Match": etag])
        XCTAssertEqual(again.status, 304)
        XCTAssertTrue(again.body.isEmpty)
        let listed = try viewer.http.get(
            "/images/hubble_files/10/1_1.png", headers: ["If-None-Match": "\"x\", " + etag])
        XCTAssertEqual(listed.status, 304)
        let stale = try viewer.http.get("/images/hubble_files/10/1_1.png", headers: ["If-None-Match": "\"stale\""])
        XCTAssertEqual(stale.status, 200)
        XCTAssertEqual(stale.body, first.body)
        let other = try viewer.http.get("/images/hubble_files/10/1_0.png")
        XCTAssertNotEqual(other.headers["etag"], etag)
    }

    /// Tiles and levels off the pyramid, other names and formats, walks up the tree, other
    /// methods: each a clear status and one log line.
    func testBadRequestsGetClearStatuses() throws {
        let viewer = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        let cases: [(target: String, method: String, status: Int)] = [
            ("/images/hubble_files/12/0_0.png", "GET", 404),  // level above the full size
            ("/images/hubble_files/11/9_0.png", "GET", 404),  // column off the grid (0…8)
            ("/images/hubble_files/11/0_8.png", "GET", 404),  // row off the grid (0…7)
            ("/images/hubble_files/11/0_0.jpg", "GET", 404),  // not the served format
            ("/images/other_files/0/0_0.png", "GET", 404),
            ("/images/other.dzi", "GET", 404),
            ("/view/other", "GET", 404),
            ("/images/../../../../etc/passwd", "GET", 404),
            ("/../../etc/passwd", "GET", 404),
            ("/images/%2e%2e/%2e%2e/etc/passwd", "GET", 404),
            ("/view/..%2f..%2fetc%2fpasswd", "GET", 404),
            ("/images/hubble.dzi?" + String(repeating: "q", count: 4000), "GET", 414),
            ("/" + String(repeating: "a", count: 3000), "GET", 414),
            ("/images/hubble.dzi", "POST", 405),
            ("/images/hubble.dzi", "DELETE", 405),
        ]
        for request in cases {
            let answer = try viewer.http.get(request.target, method: request.method)
            XCTAssertEqual(answer.status, request.status, "\(request.method) \(request.target.prefix(60))")
        }
        let log = viewer.log
        XCTAssertEqual(log.count, cases.count, log.joined(separator: "\n"))
        XCTAssertTrue(log.contains { $0.hasPrefix("GET /images/hubble_files/12/0_0.png 404 ") }, "\(log)")
        XCTAssertTrue(log.contains { $0.contains(" 414 ") && $0.contains("(4019 bytes)") }, "\(log)")
        XCTAssertTrue(log.allSatisfy { $0.count < 260 }, "a log line stays short whatever the request")
    }

    /// A header far beyond any limit is refused without taking the server down.
    func testAHugeRequestIsRefusedAndTheServerGoesOn() throws {
        let viewer = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        let socket = try viewer.http.connect(timeout: 10)
        defer { close(socket) }
        try? viewer.http.send(socket, "GET /" + String(repeating: "a", count: 200_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        let bytes = (try? viewer.http.readAll(socket, timeout: 10)) ?? []
        if let answer = try? RawHTTP.parse(bytes) {
            XCTAssertTrue([400, 414, 431].contains(answer.status), "status \(answer.status)")
        }
        XCTAssertEqual(try viewer.http.get("/images/hubble.dzi").status, 200)
    }

    /// A client that stops halfway through its request is disconnected after the idle timeout.
    func testASlowClientIsDisconnectedAfterTheIdleTimeout() throws {
        let viewer = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        let socket = try viewer.http.connect(timeout: 10)
        defer { close(socket) }
        let started = Date()
        try viewer.http.send(socket, "GET /images/hubble.dzi HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        _ = try viewer.http.readAll(socket, timeout: 10)
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(waited, 0.4)
        XCTAssertLessThan(waited, 5, "the idle timeout is 0.5 s")
        XCTAssertEqual(try viewer.http.get("/images/hubble.dzi").status, 200)
    }

    func testMetricsCountRequestsInPrometheusFormat() throws {
        let viewer = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        _ = try viewer.http.get("/images/hubble_files/8/0_0.png")
        _ = try viewer.http.get("/images/hubble_files/8/0_0.png")
        _ = try viewer.http.get("/images/hubble_files/99/0_0.png")
        let answer = try viewer.http.get("/metrics")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        let text = String(decoding: answer.body, as: UTF8.self)
        XCTAssertTrue(text.contains("# TYPE atelier_viewer_requests_total counter"), text)
        XCTAssertTrue(text.contains("atelier_viewer_requests_total{route=\"tile\",status=\"200\"} 2"), text)
        XCTAssertTrue(text.contains("atelier_viewer_requests_total{route=\"tile\",status=\"404\"} 1"), text)
        XCTAssertTrue(text.contains("atelier_viewer_tiles_made_total 1"), text)
        XCTAssertTrue(text.contains("atelier_viewer_tiles_cached_total 1"), text)
        XCTAssertTrue(text.contains("atelier_viewer_tile_seconds_bucket"), text)
        let peak = text.split(separator: "\n").first { $0.hasPrefix("atelier_viewer_peak_resident_bytes ") }
        XCTAssertGreaterThan(Double(peak?.split(separator: " ").last ?? "") ?? 0, 1e6, text)
    }

    /// Several files get a gallery at `/` with a viewer each; equal names are made unique.
    func testSeveralFilesGetAGallery() throws {
        let viewer = try RunningViewer(
            paths: [
                ViewerFixtures.pyramid, ViewerFixtures.gallery("hubble.jpg"), ViewerFixtures.gallery("coffee.png"),
            ],
            configuration: Self.pngTiles)
        XCTAssertEqual(viewer.server.names, ["hubble", "hubble-2", "coffee"])
        let html = String(decoding: try viewer.http.get("/").body, as: UTF8.self)
        for name in ["hubble", "hubble-2", "coffee"] {
            XCTAssertTrue(html.contains("href=\"/view/\(name)\""), name)
        }
        // Its thumbnail is the finest level within one tile: 512×341 → level 7, 128×86.
        XCTAssertTrue(html.contains("src=\"/images/coffee_files/7/0_0.png\""), html)
        XCTAssertEqual(try viewer.http.get("/images/coffee_files/7/0_0.png").status, 200)
        XCTAssertEqual(try viewer.http.get("/images/hubble-2_files/11/8_7.png").status, 200)
        XCTAssertTrue(String(decoding: try viewer.http.get("/view/coffee").body, as: UTF8.self).contains("gallery"))
    }

    /// JPEG tiles (the default) are close to the PNG ones.
    func testJPEGTilesAreCloseToTheLosslessOnes() throws {
        let jpeg = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: .init(port: 0, quality: 95))
        let png = try RunningViewer(paths: [ViewerFixtures.pyramid], configuration: Self.pngTiles)
        let folder = try TemporaryDirectory()
        let jpegAnswer = try jpeg.http.get("/images/hubble_files/10/1_1.jpg")
        XCTAssertEqual(jpegAnswer.status, 200)
        XCTAssertEqual(jpegAnswer.headers["content-type"], "image/jpeg")
        try Data(jpegAnswer.body).write(to: folder.url.appendingPathComponent("tile.jpg"))
        try Data(try png.http.get("/images/hubble_files/10/1_1.png").body).write(
            to: folder.url.appendingPathComponent("tile.png"))
        let a = try ReferenceImages.readWithPillow(folder.path("tile.jpg")).samples8
        let b = try ReferenceImages.readWithPillow(folder.path("tile.png")).samples8
        let meanError = Double(zip(a, b).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(a.count)
        XCTAssertLessThan(meanError, 3)
    }
}
