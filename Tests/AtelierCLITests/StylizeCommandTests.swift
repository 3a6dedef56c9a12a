import Foundation
import ImageIO
import TestSupport
import XCTest

/// `atelier stylize` end to end: a tiny real run (real VGG-16), its reproducibility, and the
/// documented exit status with one stderr line naming the culprit for each kind of bad input.
final class StylizeCommandTests: XCTestCase {
    private static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    /// Settings for a run of seconds: 48 px output, two levels (32 and 48 on the long side), three iterations each.
    private static let tiny = ["--size", "48", "--set", "iterations=[3]", "--set", "coarse_size=32", "--threads", "2"]

    /// The width and height of a PNG, as ImageIO reads it.
    private func size(of path: String) throws -> [Int] {
        let raster = try PNGFile.read(path: path)
        return [raster.width, raster.height]
    }

    /// A colour-coded map of one `colour`, size×size, written as a PNG.
    private func solidMap(_ colour: [Float], size: Int, at path: String) throws {
        let plane = size * size
        let samples = colour.flatMap { [Float](repeating: $0, count: plane) }
        try PNGFile.write(Raster(width: size, height: size, layout: .rgb, samples: samples), to: path)
    }

    // MARK: - A real run

    /// Runs Monet painted into the Coastline doodle (both maps, no content loss) into `out`.
    private func doodle(out: String, _ arguments: [String]) throws -> AtelierProcess.Outcome {
        try AtelierProcess.run(
            [
                "stylize", "--content", Self.example("Coastline_sem.png"), "--style", Self.example("Monet.png"),
                "--content-seg", Self.example("Coastline_sem.png"), "--style-seg", Self.example("Monet_sem.png"),
                "--set", "content_weight=0", "--out", out,
            ] + arguments)
    }

    /// Monet painted into the Coastline doodle (both maps): a PNG of the output size, and on
    /// stderr (not a terminal) the plan, one progress line per level with the time and ETA, and
    /// the output written.
    func testTinyDoodleRunWritesThePNGAndOneProgressLinePerLevel() throws {
        let folder = try TemporaryDirectory()
        let out = folder.path("doodle.png")
        let run = try doodle(out: out, Self.tiny)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try size(of: out), [48, 36])
        let lines = run.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, run.stderr)
        XCTAssertTrue(lines[0].hasPrefix("plan: 2 levels: 32x24 3 it, 48x36 3 it; about "), run.stderr)
        XCTAssertTrue(lines[1].hasPrefix("level 1/2 32x24: 3 iterations") && lines[1].contains(" elapsed, ETA "),
                      run.stderr)
        XCTAssertTrue(lines[2].hasPrefix("level 2/2 48x36: 3 iterations") && lines[2].hasSuffix("ETA 0 s"), run.stderr)
        XCTAssertTrue(lines[3].hasPrefix("wrote \(out) (48x36, "), run.stderr)
    }

    /// `--preserve-colors` keeps the content's chroma (YIQ's I and Q) and the default colour
    /// finish moves the picture to the painting's: the photo's mean chroma stays with the first
    /// and goes with the second. `--stroke-strength` must be positive.
    func testPreserveColorsKeepsThePhotosColoursAndTheFinishTakesThePaintings() throws {
        let folder = try TemporaryDirectory()
        func meanChroma(_ path: String) throws -> SIMD2<Double> {
            let raster = try PNGFile.read(path: path)
            let plane = raster.width * raster.height  // samples are planar: R, then G, then B
            var sum = SIMD2<Double>()
            for p in 0..<plane {
                let (r, g, b) = (Double(raster.samples[p]), Double(raster.samples[plane + p]),
                                 Double(raster.samples[2 * plane + p]))
                sum += SIMD2(0.595716 * r - 0.274453 * g - 0.321263 * b, 0.211456 * r - 0.522591 * g + 0.311135 * b)
            }
            return sum / Double(plane)
        }
        var chroma: [String: SIMD2<Double>] = [:]
        for (name, flags) in [("preserved", ["--preserve-colors"]), ("finished", []), ("bold", ["--stroke-strength", "2"])] {
            let out = folder.path(name + ".png")
            let run = try AtelierProcess.run(
                ["stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("starry_night.png"),
                 "--out", out] + Self.tiny + flags)
            XCTAssertEqual(run.status, 0, run.stderr)
            chroma[name] = try meanChroma(out)
        }
        let photo = try meanChroma(Self.example("chelsea.png")), painting = try meanChroma(Self.example("starry_night.png"))
        func distance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
        XCTAssertLessThan(distance(chroma["preserved"]!, photo), 0.01, "\(chroma) photo \(photo)")
        XCTAssertLessThan(distance(chroma["finished"]!, painting), distance(chroma["finished"]!, photo),
                          "\(chroma) photo \(photo) painting \(painting)")
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: folder.path("bold.png"))),
                          try Data(contentsOf: URL(fileURLWithPath: folder.path("finished.png"))))
        let bad = try AtelierProcess.run(
            ["stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("starry_night.png"),
             "--out", folder.path("x.png"), "--stroke-strength", "0"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--stroke-strength"), bad.stderr)
    }

    /// The same seed and thread count give the same bytes (automatic segmentation included).
    func testSameSeedAndThreadsGiveIdenticalOutput() throws {
        let folder = try TemporaryDirectory()
        var outputs: [Data] = []
        for name in ["first.png", "second.png"] {
            let run = try AtelierProcess.run(
                [
                    "stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("starry_night.png"),
                    "--seed", "7", "--out", folder.path(name),
                ] + Self.tiny)
            XCTAssertEqual(run.status, 0, run.stderr)
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: folder.path(name))))
        }
        XCTAssertFalse(outputs[0].isEmpty)
        XCTAssertEqual(outputs[0], outputs[1], "two runs with --seed 7 --threads 2 differ")
    }

    /// One and two engine threads give the same bytes (automatic segmentation included): every
    /// SGEMM is cut into the same pieces whatever the threads. Before, they differed by up to 27/255.
    func testOneAndTwoThreadsGiveIdenticalBytes() throws {
        let folder = try TemporaryDirectory()
        var outputs: [Data] = []
        for threads in ["1", "2"] {
            let out = folder.path("threads-\(threads).png")
            let run = try AtelierProcess.run(
                [
                    "stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("starry_night.png"),
                    "--seed", "7", "--out", out,
                ] + Self.tiny + ["--threads", threads])
            XCTAssertEqual(run.status, 0, run.stderr)
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        XCTAssertEqual(outputs[0], outputs[1], "--threads 1 and --threads 2 differ")
    }

    /// A level larger than a tile is cut into tiles: one progress line per round and the PNG at
    /// the output size (the doodle pair, whose maps spare the automatic segmentation's time), the
    /// same bytes whether the command solves the tiles itself or two in-process workers do.
    func testTiledRunWritesOneLinePerRoundAndTheSameBytesWithTwoWorkers() throws {
        let folder = try TemporaryDirectory()
        var outputs: [Data] = []
        for workers in ["1", "2"] {
            let out = folder.path("tiled-\(workers).png")
            let run = try doodle(
                out: out,
                ["--size", "72", "--set", "iterations=[2]", "--set", "coarse_size=72", "--set", "tile.size=32",
                 "--set", "tile.overlap=8", "--threads", "2", "--workers", workers])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(try size(of: out), [72, 54])
            // One level of 72×54, cut at 32 and 64 across, 32 down; then shifted by 16: two rounds of one iteration.
            // The in-process workers' own lines ("no word from the coordinator; saying READY
            // again" on a loaded machine) are not progress lines.
            let lines = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("coordinator: worker") }
            XCTAssertEqual(lines.count, 4, run.stderr)
            XCTAssertTrue(lines[0].hasPrefix("plan: 1 level: 72x54 2 rounds of 9 tiles x 1 it; about "), run.stderr)
            XCTAssertTrue(lines[1].hasPrefix("level 1/1 72x54 round 1/2: 6 tiles, 1 iterations"), run.stderr)
            XCTAssertTrue(lines[2].hasPrefix("level 1/1 72x54 round 2/2: 9 tiles, 1 iterations"), run.stderr)
            XCTAssertTrue(lines[3].hasPrefix("wrote "), run.stderr)
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        XCTAssertEqual(outputs[0], outputs[1], "--workers 2 changed the output")
    }

    /// A streaming run (the content read by region, the DSS by rectangle, the canvases files of
    /// the run directory, the output written by region) gives the in-memory run's bytes on a job
    /// where both start from the content; without --run-dir it uses one beside the output, named
    /// in the plan and removed after success (kept with --keep-run-dir); its zero-iteration level
    /// still runs its tiles (as the gigapixel check does).
    func testAStreamingRunGivesTheInMemoryBytes() throws {
        let folder = try TemporaryDirectory()
        let settings = ["--size", "72", "--set", "iterations=[2, 0]", "--set", "coarse_size=36", "--set", "tile.size=32",
                        "--set", "tile.overlap=8", "--set", "init=content", "--set", "colour_finish=0", "--threads", "2"]
        let memory = try doodle(out: folder.path("memory.png"), settings)
        XCTAssertEqual(memory.status, 0, memory.stderr)
        let streamed = try doodle(
            out: folder.path("streamed.png"), settings + ["--streaming-above", "0", "--run-dir", folder.path("run")])
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertTrue(streamed.stderr.contains("level 2/2 72x54 round 1/1: 6 tiles, 0 iterations"), streamed.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.path("streamed.png"))),
                       try Data(contentsOf: URL(fileURLWithPath: folder.path("memory.png"))))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path("run/level-1.canvas")))
        let automatic = folder.path("automatic.atelier-run")
        let beside = try doodle(out: folder.path("automatic.png"), settings + ["--streaming-above", "0"])
        XCTAssertEqual(beside.status, 0, beside.stderr)
        XCTAssertTrue(
            beside.stderr.contains("; run directory \(automatic) (removed after success unless --keep-run-dir)"),
            beside.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: automatic), "the automatic run directory was left")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.path("automatic.png"))),
                       try Data(contentsOf: URL(fileURLWithPath: folder.path("memory.png"))))
        let kept = try doodle(
            out: folder.path("automatic.png"), settings + ["--streaming-above", "0", "--keep-run-dir"])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: automatic + "/level-1.canvas"), kept.stderr)
    }

    /// A streamed output gets the colour finish and `--preserve-colors` too, applied tile by tile
    /// as it is written; at a size whose overview is the canvas itself, the in-memory output's
    /// bytes. The finish is not a no-op: without it the streamed output differs.
    func testAStreamedOutputIsFinishedAsTheInMemoryOne() throws {
        let folder = try TemporaryDirectory()
        let job = ["stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("starry_night.png"),
                   "--size", "96", "--set", "iterations=[2, 0]", "--set", "coarse_size=48", "--set", "tile.size=48",
                   "--set", "tile.overlap=8", "--set", "init=content", "--threads", "2"]
        for (name, extra) in [("finish", []), ("preserve", ["--preserve-colors"]), ("none", ["--set", "colour_finish=0"])] {
            let memory = try AtelierProcess.run(job + extra + ["--out", folder.path("\(name)-memory.png")])
            XCTAssertEqual(memory.status, 0, memory.stderr)
            let streamed = try AtelierProcess.run(
                job + extra + ["--streaming-above", "0", "--out", folder.path("\(name)-streamed.png")])
            XCTAssertEqual(streamed.status, 0, streamed.stderr)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.path("\(name)-streamed.png"))),
                           try Data(contentsOf: URL(fileURLWithPath: folder.path("\(name)-memory.png"))), name)
        }
        for name in ["finish", "preserve"] {
            XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: folder.path("\(name)-streamed.png"))),
                              try Data(contentsOf: URL(fileURLWithPath: folder.path("none-streamed.png"))), name)
        }
    }

    // MARK: - Bad inputs: status and one line naming the file or key

    /// Runs `stylize` with the Monet pair unless told otherwise and checks the status and that
    /// stderr is one line starting `atelier: ` and containing `names`.
    private func assertFails(
        _ arguments: [String], status: Int32, naming names: String, content: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let folder = try TemporaryDirectory()
        let run = try AtelierProcess.run(
            ["stylize", "--content", content ?? Self.example("Monet.png"), "--style", Self.example("Monet.png"),
             "--out", folder.path("out.png")] + arguments)
        XCTAssertEqual(run.status, status, run.stderr, file: file, line: line)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, "one line: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderr.hasPrefix("atelier: "), run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(names), "'\(names)' not in: \(run.stderr)", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("out.png")), file: file, line: line)
    }

    func testMissingContentFileIsABadInput() throws {
        try assertFails([], status: 3, naming: "/nonexistent/content.png: no such file", content: "/nonexistent/content.png")
    }

    func testUnreadableImageIsABadInput() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("garbage.png")
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: path))
        try assertFails([], status: 3, naming: path, content: path)
    }

    func testContentMapWithoutStyleMapIsAUsageError() throws {
        try assertFails(["--content-seg", Self.example("Monet_sem.png")], status: 2, naming: "--style-seg")
    }

    func testMapsWithNoSharedColourAreABadInput() throws {
        let folder = try TemporaryDirectory()
        let red = folder.path("red.png"), blue = folder.path("blue.png")
        try solidMap([1, 0, 0], size: 64, at: red)
        try solidMap([0, 0, 1], size: 64, at: blue)
        try assertFails(["--content-seg", red, "--style-seg", blue, "--size", "48"], status: 3, naming: red)
    }

    func testUnknownSetKeyIsAUsageErrorNamingIt() throws {
        try assertFails(["--set", "brush_size=3"], status: 2, naming: "brush_size")
    }

    func testNegativeWeightIsAUsageErrorNamingTheKey() throws {
        try assertFails(["--set", "style_weight=-1"], status: 2, naming: "style_weight")
    }

    func testZeroWorkersIsAUsageError() throws {
        try assertFails(["--workers", "0"], status: 2, naming: "--workers")
    }

    func testHaloBelowTheReceptiveFieldIsAUsageErrorNamingTheKey() throws {
        try assertFails(["--set", "tile.halo=16"], status: 2, naming: "tile.halo")
    }

    func testTooSmallSizeIsAUsageError() throws {
        try assertFails(["--size", "10"], status: 2, naming: "--size")
    }

    func testContentSmallerThanTheNetworkNeedsIsABadInput() throws {
        let folder = try TemporaryDirectory()
        let small = folder.path("small.png")
        try solidMap([0.5, 0.5, 0.5], size: 20, at: small)
        try assertFails([], status: 3, naming: small, content: small)
    }

    func testBadConfigFileIsAUsageErrorNamingIt() throws {
        let folder = try TemporaryDirectory()
        let config = folder.path("bad.yaml")
        try Data("style_weight: [1\n".utf8).write(to: URL(fileURLWithPath: config))
        try assertFails(["--config", config], status: 2, naming: config)
    }
}
