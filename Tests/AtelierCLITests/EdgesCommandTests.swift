import Foundation
import TestSupport
import XCTest

/// `atelier edges` end to end, on the real default weights that `Scripts/setup` fetches.
final class EdgesCommandTests: XCTestCase {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("edges-\(UUID())-\(name)").path
    }

    /// A photo gives a grey PNG of its size with sparse bright edges: dark on average, bright at
    /// the strongest edges.
    func testEdgesOfAShippedPhotoIsAGreyPNGOfItsSize() throws {
        let out = temporaryPath("chelsea.png")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let photo = Fixtures.samples.appendingPathComponent("content/chelsea.png").path
        let run = try AtelierProcess.run(["edges", "--image", photo, "--out", out])
        // Missing weights fail here, with atelier's message naming Scripts/fetch-weights.
        guard run.status == 0 else { return XCTFail("status \(run.status): \(run.stderr)") }
        XCTAssertEqual(run.stderr, "")

        let info = try AtelierProcess.run(["info", "--stats", "--json", out])
        XCTAssertEqual(info.status, 0, info.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["width"] as? Int, 451)
        XCTAssertEqual(report["height"] as? Int, 300)
        XCTAssertEqual(report["layout"] as? String, "gray")
        let statistics = try XCTUnwrap((report["statistics"] as? [[String: Any]])?.first)
        let (mean, maximum) = (
            try XCTUnwrap(statistics["mean"] as? Double), try XCTUnwrap(statistics["max"] as? Double)
        )
        XCTAssertLessThan(mean, 0.35 * 255, "edges should be sparse")
        XCTAssertGreaterThan(maximum, 0.8 * 255, "the strongest edges should be bright")
    }

    /// With `--max-side` the network runs on a reduced copy, and the map comes back at full size.
    func testMaxSideRunsReducedAndWritesTheFullSize() throws {
        let out = temporaryPath("coffee.png")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let photo = Fixtures.samples.appendingPathComponent("content/coffee.png").path
        let run = try AtelierProcess.run(["edges", "--image", photo, "--out", out, "--max-side", "150"])
        guard run.status == 0 else { return XCTFail("status \(run.status): \(run.stderr)") }
        let info = try AtelierProcess.run(["info", out])
        XCTAssertTrue(info.stdout.contains("size: 600x400"), info.stdout)

        let bad = try AtelierProcess.run(["edges", "--image", photo, "--out", out, "--max-side", "8"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.stderr, "atelier: --max-side must be at least 16 (see 'atelier edges --help')\n")
    }

    func testMissingWeightsFileIsABadInputNamingTheFetchScript() throws {
        let photo = Fixtures.samples.appendingPathComponent("content/chelsea.png").path
        let run = try AtelierProcess.run([
            "edges", "--image", photo, "--out", temporaryPath("x.png"), "--weights", "/nonexistent/w.safetensors",
        ])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(
            run.stderr,
            "atelier: /nonexistent/w.safetensors: no such weights file; run Scripts/fetch-weights to fetch the default VGG-16 weights\n"
        )
    }

    func testCorruptWeightsFromTheEnvironmentIsABadInputNamingTheFile() throws {
        let weights = temporaryPath("bad.safetensors")
        defer { try? FileManager.default.removeItem(atPath: weights) }
        var bytes = Data([16, 0, 0, 0, 0, 0, 0, 0])
        bytes.append(Data("{\"a\":1}".utf8))
        try bytes.write(to: URL(fileURLWithPath: weights))
        let photo = Fixtures.samples.appendingPathComponent("content/chelsea.png").path
        let run = try AtelierProcess.run(
            ["edges", "--image", photo, "--out", temporaryPath("x.png")], environment: ["ATELIER_WEIGHTS": weights])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(
            run.stderr,
            "atelier: \(weights): not a valid safetensors file: header length 16 runs past the end of the 15-byte file\n"
        )
    }

    func testMissingImageIsABadInput() throws {
        let run = try AtelierProcess.run([
            "edges", "--image", "/nonexistent/photo.png", "--out", temporaryPath("x.png"),
        ])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.hasPrefix("atelier: ") && run.stderr.contains("/nonexistent/photo.png"), run.stderr)
    }
}
