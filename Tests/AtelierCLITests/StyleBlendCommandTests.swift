import Evaluation
import Foundation
import TestSupport
import XCTest

/// `stylize --style A --style B --style-weights wA,wB`: both paintings in the style loss (each
/// with its own bank and DSS), and the colour finish towards their pixels mixed by share.
final class StyleBlendCommandTests: XCTestCase {
    private static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    private static let tiny = ["--size", "48", "--set", "iterations=[2]", "--set", "coarse_size=32", "--threads", "2"]
    private static let monet = example("Monet.png"), starry = example("starry_night.png")

    /// The output bytes of chelsea painted with `styles` (and `weights`, if given).
    private func stylize(_ styles: [String], weights: String? = nil, in folder: TemporaryDirectory, _ name: String)
        throws -> Data
    {
        let out = folder.path(name)
        let run = try AtelierProcess.run(
            ["stylize", "--content", Self.example("chelsea.png"), "-o", out]
                + styles.flatMap { ["--style", $0] } + (weights.map { ["--style-weights", $0] } ?? []) + Self.tiny)
        XCTAssertEqual(run.status, 0, run.stderr)
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// Shares 1,0 and 0,1 give each painting's own run byte for byte (a painting of share 0
    /// takes no part); in between, the output's colour distance (sliced Wasserstein in CIELAB) to
    /// Monet grows and to the Starry Night falls as the share moves from the first to the second.
    func testTwoPaintingsBlendByTheirShares() throws {
        let folder = try TemporaryDirectory()
        let monetAlone = try stylize([Self.monet], in: folder, "monet.png")
        let starryAlone = try stylize([Self.starry], in: folder, "starry.png")
        let shares = ["1,0", "0.7,0.3", "0.3,0.7", "0,1"]
        var outputs: [Data] = []
        for (index, weights) in shares.enumerated() {
            outputs.append(try stylize([Self.monet, Self.starry], weights: weights, in: folder, "blend-\(index).png"))
        }
        XCTAssertEqual(outputs[0], monetAlone, "weights 1,0 are Monet's own run")
        XCTAssertEqual(outputs[3], starryAlone, "weights 0,1 are the Starry Night's own run")
        XCTAssertNotEqual(outputs[1], monetAlone)
        XCTAssertNotEqual(outputs[2], starryAlone)

        let paintings = try [Self.monet, Self.starry].map { try EvaluationImage.read($0) }
        let distances = try (0..<shares.count).map { index in
            let output = try EvaluationImage.read(folder.path("blend-\(index).png"))
            return paintings.map { ColourDistance.global(output: output, painting: $0) }
        }
        for index in 1..<shares.count {
            XCTAssertGreaterThan(distances[index][0], distances[index - 1][0], "to Monet: \(distances)")
            XCTAssertLessThan(distances[index][1], distances[index - 1][1], "to the Starry Night: \(distances)")
        }
    }

    /// Every mode blends (dss, mrf, gatys: each paints something else than Monet alone), and
    /// equal shares are the default.
    func testEveryModeBlendsAndEqualSharesAreTheDefault() throws {
        let folder = try TemporaryDirectory()
        func run(_ styles: [String], mode: String, _ name: String, _ extra: [String] = []) throws -> Data {
            let run = try AtelierProcess.run(
                ["stylize", "--content", Self.example("chelsea.png"), "--mode", mode, "-o", folder.path(name)]
                    + styles.flatMap { ["--style", $0] } + extra + Self.tiny)
            XCTAssertEqual(run.status, 0, "\(mode): \(run.stderr)")
            return try Data(contentsOf: URL(fileURLWithPath: folder.path(name)))
        }
        for mode in ["dss", "mrf", "gatys"] {
            let blend = try run([Self.monet, Self.starry], mode: mode, "\(mode).png")
            XCTAssertNotEqual(blend, try run([Self.monet], mode: mode, "\(mode)-monet.png"), mode)
        }
        XCTAssertEqual(
            try run([Self.monet, Self.starry], mode: "dss", "halves.png", ["--style-weights", "0.5,0.5"]),
            try Data(contentsOf: URL(fileURLWithPath: folder.path("dss.png"))))
    }

    /// The blend travels with the tiles: through the tiled runner with `--run-dir` (each level
    /// a single tile) it gives the in-memory run's bytes; a tiled job gives the same bytes on one
    /// worker and on two (STYLE and TASK messages carry every painting over the wire); only a
    /// streamed output, which reads its content by region, refuses several (exit 2, no output).
    func testTheBlendTravelsWithTheTilesAndAStreamedOutputRefusesIt() throws {
        let folder = try TemporaryDirectory()
        let styles = ["--style", Self.monet, "--style", Self.starry, "--style-weights", "0.6,0.4"]
        func run(_ name: String, _ extra: [String]) throws -> Data {
            let run = try AtelierProcess.run(
                ["stylize", "--content", Self.example("chelsea.png"), "-o", folder.path(name)] + styles + extra)
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            return try Data(contentsOf: URL(fileURLWithPath: folder.path(name)))
        }
        XCTAssertEqual(
            try run("checkpointed.png", Self.tiny + ["--run-dir", folder.path("run")]), try run("whole.png", Self.tiny),
            "the tiled runner's blend differs from the in-memory one")
        let tiled = ["--size", "96", "--set", "coarse_size=48", "--set", "iterations=[1, 1]", "--threads", "2",
                     "--set", "style_layers=[relu3_1]", "--set", "content_layer=relu3_1",
                     "--set", "tile={size: 32, overlap: 8, rounds: 1, halo: 16}"]
        let one = try run("tiled-1.png", tiled)
        XCTAssertEqual(try run("tiled-2.png", tiled + ["--workers", "2"]), one, "two workers changed the blend")
        let alone = try AtelierProcess.run(
            ["stylize", "--content", Self.example("chelsea.png"), "-o", folder.path("monet.png"), "--style", Self.monet]
                + tiled)
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertNotEqual(one, try Data(contentsOf: URL(fileURLWithPath: folder.path("monet.png"))))

        let streamed = try AtelierProcess.run(
            ["stylize", "--content", Self.example("chelsea.png"), "-o", folder.path("streamed.png"),
             "--streaming-above", "0", "--run-dir", folder.path("streamed-run")] + styles + tiled)
        XCTAssertEqual(streamed.status, 2, streamed.stderr)
        XCTAssertTrue(streamed.stderr.contains("--style given 2 times (weights 0.6,0.4)"), streamed.stderr)
        XCTAssertTrue(streamed.stderr.contains("streams its levels through files; give one --style"), streamed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("streamed.png")))
    }
}
