import Foundation
import TestSupport
import XCTest

@testable import AtelierCLI
@testable import Evaluation

/// `atelier evaluate` end to end on the repository's sample images and the real default weights.
final class EvaluateCommandTests: XCTestCase {
    private func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/\(name)").path
    }

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("evaluate-\(UUID())-\(name)").path
    }

    private func jsonReport(_ arguments: [String]) throws -> [String: Any] {
        let run = try AtelierProcess.run(["evaluate", "--json"] + arguments)
        guard run.status == 0 else {
            XCTFail("status \(run.status): \(run.stderr)")
            return [:]
        }
        XCTAssertEqual(run.stderr, "")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// The untouched photo scored against Starry Night: every key, structure 1 (the output is
    /// the content, here as a TIFF that Pillow writes), far from the painting in colour and
    /// style, no regions without maps.
    func testJSONHasEveryFigureForAnUntouchedPhoto() throws {
        let tiff = temporaryPath("chelsea.tif")
        defer { try? FileManager.default.removeItem(atPath: tiff) }
        try ReferenceTool.run(
            ReferenceTool.python,
            [
                "-c", "import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2])",
                example("chelsea.png"),
                tiff,
            ])
        let report = try jsonReport([
            "--output", tiff, "--content", example("chelsea.png"), "--style", example("starry_night.png"),
        ])
        XCTAssertEqual(
            Set(report.keys), ["colour", "structure", "style", "style_layers", "regions", "region_colour"])
        let layers = try XCTUnwrap(report["style_layers"] as? [String: Double])
        XCTAssertEqual(Set(layers.keys), ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"])
        let style = try XCTUnwrap(report["style"] as? Double)
        XCTAssertEqual(style, layers.values.reduce(0, +) / 5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(report["structure"] as? Double), 1, accuracy: 1e-6)
        XCTAssertGreaterThan(try XCTUnwrap(report["colour"] as? Double), 5)
        XCTAssertGreaterThan(style, 0.2)
        XCTAssertEqual((report["regions"] as? [Any])?.count, 0)
        XCTAssertTrue(report["region_colour"] is NSNull)
    }

    /// The painting scored against itself, with its own map on both sides: colour and style 0,
    /// every region 0, the region areas adding up to the whole picture.
    func testAPaintingAgainstItselfScoresZeroGloballyAndPerRegion() throws {
        let arguments = [
            "--output", example("Monet.png"), "--content", example("Monet.png"), "--style", example("Monet.png"),
            "--content-seg", example("Monet_sem.png"), "--style-seg", example("Monet_sem.png"),
        ]
        let report = try jsonReport(arguments)
        XCTAssertEqual(try XCTUnwrap(report["colour"] as? Double), 0)
        XCTAssertEqual(try XCTUnwrap(report["style"] as? Double), 0, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(report["region_colour"] as? Double), 0)
        let regions = try XCTUnwrap(report["regions"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(regions.count, 3)
        XCTAssertEqual(regions.reduce(0.0) { $0 + (($1["area"] as? Double) ?? 0) }, 1, accuracy: 1e-9)
        for region in regions {
            XCTAssertEqual(Set(region.keys), ["label", "area", "colour"])
            let label = try XCTUnwrap(region["label"] as? String)
            XCTAssertTrue(label.range(of: "^#[0-9a-f]{6}$", options: .regularExpression) != nil, label)
            XCTAssertEqual(region["colour"] as? Double, 0, label)
        }
    }

    /// The table: one figure a line with what it measures, the layers indented under style, and
    /// with maps the mean and one row per region named by its map colour; `-` where a region of
    /// the content has no partner in the painting.
    func testTheTableAlignsTheFiguresAndNamesTheRegionsByColour() {
        var report = EvaluationReport(
            colour: 7.61137, structure: 0.57124,
            styleLayers: zip(["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"], [0.79, 0.44, 0.26, 0.28, 0.43])
                .map { LayerDistance(layer: $0.0, distance: $0.1) },
            regions: [], regionColour: nil)
        let figures = """
            colour             7.6114  Lab sliced Wasserstein to the painting, lower is closer
            structure          0.5712  HED edge correlation with the content, higher keeps more
            style              0.4400  Gram distance to the painting, lower is closer
              relu1_1          0.7900
              relu2_1          0.4400
              relu3_1          0.2600
              relu4_1          0.2800
              relu5_1          0.4300

            """
        XCTAssertEqual(EvaluationText.table(report), figures)
        report.regions = [
            RegionColour(label: 0, mapColour: [1, 1, 1], area: 0.401, colour: 13.3297),
            RegionColour(label: 1, mapColour: [1, 0.2, 0.1216], area: 0.59, colour: 9.8811),
            RegionColour(label: 2, mapColour: [0, 0, 1], area: 0.009, colour: nil),
        ]
        report.regionColour = 11.29
        XCTAssertEqual(
            EvaluationText.table(report),
            figures + """
                region colour     11.2900  area-weighted over regions of at least 1%, lower is closer
                  #ffffff         13.3297  area 40.1%
                  #ff331f          9.8811  area 59.0%
                  #0000ff               -  area 0.9%

                """)
    }

    func testASegmentationMapWithoutItsPartnerIsAUsageError() throws {
        let run = try AtelierProcess.run([
            "evaluate", "--output", example("Monet.png"), "--content", example("Monet.png"),
            "--style", example("Monet.png"), "--style-seg", example("Monet_sem.png"),
        ])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(
            run.stderr,
            "atelier: --content-seg and --style-seg go together: give both maps or neither "
                + "(see 'atelier evaluate --help')\n")
    }

    func testMissingAndCorruptImagesAreBadInputsNamingTheFile() throws {
        let missing = try AtelierProcess.run([
            "evaluate", "--output", "/nonexistent/out.png", "--content", example("chelsea.png"),
            "--style", example("starry_night.png"),
        ])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stderr.hasPrefix("atelier: /nonexistent/out.png"), missing.stderr)

        let corrupt = temporaryPath("style.png")
        defer { try? FileManager.default.removeItem(atPath: corrupt) }
        var bytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        bytes.append(Data("not really a PNG".utf8))
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        let run = try AtelierProcess.run([
            "evaluate", "--output", example("chelsea.png"), "--content", example("chelsea.png"), "--style", corrupt,
        ])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.hasPrefix("atelier: \(corrupt)"), run.stderr)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1)

        let photoAsMap = try AtelierProcess.run([
            "evaluate", "--output", example("Monet.png"), "--content", example("Monet.png"),
            "--style", example("Monet.png"), "--content-seg", example("chelsea.png"),
            "--style-seg", example("Monet_sem.png"),
        ])
        XCTAssertEqual(photoAsMap.status, 3)
        XCTAssertEqual(
            photoAsMap.stderr,
            "atelier: \(example("chelsea.png")): not a colour-coded map: most of it is not solid regions of"
                + " one colour\n")
    }

    func testMissingWeightsIsABadInputNamingTheFetchScript() throws {
        let run = try AtelierProcess.run([
            "evaluate", "--output", example("chelsea.png"), "--content", example("chelsea.png"),
            "--style", example("starry_night.png"), "--weights", "/nonexistent/w.safetensors",
        ])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(
            run.stderr,
            "atelier: /nonexistent/w.safetensors: no such weights file; run Scripts/fetch-weights to fetch the"
                + " default VGG-16 weights\n")
    }
}
