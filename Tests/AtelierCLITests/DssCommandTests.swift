import Foundation
import TestSupport
import XCTest

/// `atelier dss` end to end: the two PNGs it writes, and its errors.
final class DssCommandTests: XCTestCase {
    private var outDir = ""

    override func setUp() {
        outDir = FileManager.default.temporaryDirectory.appendingPathComponent("dss-\(UUID())").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: outDir)
    }

    private func shared(_ path: String) -> String { Fixtures.samples.appendingPathComponent(path).path }

    /// Width, height and layout of a PNG, as `atelier info` (ImageIO) reads it.
    private func info(_ path: String) throws -> (width: Int, height: Int, layout: String) {
        let run = try AtelierProcess.run(["info", "--json", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return (
            try XCTUnwrap(report["width"] as? Int), try XCTUnwrap(report["height"] as? Int),
            try XCTUnwrap(report["layout"] as? String)
        )
    }

    /// With a map of another size (Monet_sem.png, 512×384, on chelsea.png, 451×300): both PNGs at
    /// the image's size, the labels in the map's 5 colours.
    func testWritesLabelsAndIlluminationAtTheImagesSize() throws {
        let run = try AtelierProcess.run([
            "dss", "--image", shared("content/chelsea.png"), "--seg", shared("style/Monet_sem.png"), "--out-dir",
            outDir,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        XCTAssertTrue(run.stdout.contains("labels.png: 5 regions (from "), run.stdout)
        let labels = try info(outDir + "/labels.png"), illumination = try info(outDir + "/illumination.png")
        XCTAssertEqual([labels.width, labels.height], [451, 300])
        XCTAssertEqual(labels.layout, "rgb")
        XCTAssertEqual([illumination.width, illumination.height], [451, 300])
        XCTAssertEqual(illumination.layout, "gray")
    }

    /// Without a map and without weights, the automatic segmentation runs on colour and position
    /// and says so; a lighting map given instead of the estimate is used.
    func testAutomaticSegmentationWithoutWeightsUsesColourAndPosition() throws {
        let run = try AtelierProcess.run(
            [
                "dss", "--image", shared("content/chelsea.png"), "--light", shared("texture/gravel.png"),
                "--out-dir", outDir, "--segments", "4",
            ],
            environment: ["ATELIER_WEIGHTS": "", "XDG_CACHE_HOME": "/nonexistent", "HOME": "/nonexistent"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("labels.png: 4 regions (automatic: colour and position)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("illumination.png: lighting level (from "), run.stdout)
        XCTAssertEqual(try info(outDir + "/labels.png").width, 451)
    }

    func testMissingImageIsABadInputNamingIt() throws {
        let run = try AtelierProcess.run(["dss", "--image", "/nonexistent/photo.png", "--out-dir", outDir])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(run.stderr, "atelier: /nonexistent/photo.png: no such file\n")
    }

    func testUnreadableMapIsABadInputNamingIt() throws {
        let map = outDir + "-map.png"
        defer { try? FileManager.default.removeItem(atPath: map) }
        try Data("not a png at all".utf8).write(to: URL(fileURLWithPath: map))
        let run = try AtelierProcess.run([
            "dss", "--image", shared("content/chelsea.png"), "--seg", map, "--out-dir", outDir,
        ])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.hasPrefix("atelier: \(map): "), run.stderr)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, "one line")
    }

    /// A photo given as a segmentation map has no solid colour region: a bad input, named.
    func testAPhotoAsAMapIsABadInput() throws {
        let photo = shared("content/coffee.png")
        let run = try AtelierProcess.run([
            "dss", "--image", shared("content/chelsea.png"), "--seg", photo, "--out-dir", outDir,
        ])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertEqual(
            run.stderr, "atelier: \(photo): not a colour-coded map: most of it is not solid regions of one colour\n")
    }

    func testBadSegmentCountIsAUsageError() throws {
        let run = try AtelierProcess.run([
            "dss", "--image", shared("content/chelsea.png"), "--out-dir", outDir, "--segments", "0",
        ])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "atelier: --segments must be in 1...64 (see 'atelier dss --help')\n")
    }
}
