@testable import AtelierCLI
import Foundation
import ImageIO
import Pipeline
import TestSupport
import XCTest

/// What a newcomer meets on the command line (issue 16): did-you-mean for misspelled options and
/// commands, negative numbers read as values, the `--help` hint kept in one-line errors,
/// `--version`, `-o`, presets by name from any folder, bad `--style-weights` refused with exit 2
/// naming the flag, and flags that do nothing in the chosen mode or job said out loud.
final class CommandLineTests: XCTestCase {
    private static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    private static let tiny = ["--size", "48", "--set", "iterations=[2]", "--set", "coarse_size=32", "--threads", "2"]

    /// The status and the one stderr line of `atelier arguments…`.
    private func fails(_ arguments: [String], status: Int32, file: StaticString = #filePath, line: UInt = #line)
        throws -> String
    {
        let run = try AtelierProcess.run(arguments)
        XCTAssertEqual(run.status, status, run.stderr, file: file, line: line)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, "one line: \(run.stderr)", file: file, line: line)
        return run.stderr.trimmingCharacters(in: .newlines)
    }

    // MARK: - Parser repairs, without a run

    func testEditDistanceCountsASwapAsOneEdit() {
        XCTAssertEqual(CommandLineRepair.distance("--contnet", "--content"), 1)
        XCTAssertEqual(CommandLineRepair.distance("stylise", "stylize"), 1)
        XCTAssertEqual(CommandLineRepair.distance("", "abc"), 3)
        XCTAssertEqual(CommandLineRepair.nearest("--sise", among: ["--seed", "--size", "--style"]), "--size")
        XCTAssertNil(CommandLineRepair.nearest("--frobnicate", among: ["--size", "--style"]))
    }

    func testANegativeNumberAfterAnOptionIsItsValue() {
        XCTAssertEqual(CommandLineRepair.joiningNegativeValues(["stylize", "--size", "-5", "-o", "x.png"]),
                       ["stylize", "--size=-5", "-o", "x.png"])
        XCTAssertEqual(CommandLineRepair.joiningNegativeValues(["--seed", "3", "--quiet", "-v"]),
                       ["--seed", "3", "--quiet", "-v"])
    }

    func testResumeCommandQuotesForTheShell() {
        XCTAssertEqual(
            Resumption.command(adding: "--resume", arguments: ["atelier", "stylize", "--out", "my photo.png"]),
            "atelier stylize --out 'my photo.png' --resume")
        XCTAssertEqual(Resumption.command(adding: "--resume", arguments: ["a", "--resume"]), "a --resume")
        XCTAssertEqual(Resumption.quoted("it's"), "'it'\\''s'")
    }

    func testStyleWeightsAreSharesThatMatchTheStyles() throws {
        let styles = try StyleSource.make(paths: ["a", "b"], segs: ["sa", "sb"], lights: [], weights: [0.7, 0.7])
        XCTAssertEqual(styles.map(\.weight), [0.5, 0.5])
        XCTAssertEqual(styles.map(\.seg), ["sa", "sb"])
        XCTAssertEqual(
            try StyleSource.make(paths: ["a", "b"], segs: [], lights: [], weights: []).map(\.weight), [0.5, 0.5])
        XCTAssertThrowsError(try StyleSource.make(paths: ["a", "b"], segs: ["s"], lights: [], weights: []))
        XCTAssertThrowsError(try StyleSource.make(paths: ["a"], segs: [], lights: [], weights: [0]))
        XCTAssertThrowsError(try StyleSource.make(paths: ["a", "b"], segs: [], lights: [], weights: [-1, 2]))
    }

    // MARK: - End to end

    func testMisspelledOptionGetsADidYouMeanAndTheHelpHint() throws {
        let line = try fails(["stylize", "--contnet", "c.png", "--style", "s.png", "-o", "o.png"], status: 2)
        XCTAssertEqual(
            line, "atelier: unknown option '--contnet'; did you mean '--content'? (see 'atelier stylize --help')")
    }

    func testMisspelledCommandGetsADidYouMean() throws {
        let line = try fails(["stylise", "--content", "c.png"], status: 2)
        XCTAssertEqual(line, "atelier: unknown command 'stylise'; did you mean 'stylize'? (see 'atelier --help')")
    }

    func testNegativeSizeIsNamedAsASizeWithTheHint() throws {
        let line = try fails(
            ["stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("Monet.png"), "-o", "o.png",
             "--size", "-5"], status: 2)
        XCTAssertTrue(line.contains("--size must be between 24 and 65536, not -5"), line)
        XCTAssertTrue(line.hasSuffix("(see 'atelier stylize --help')"), line)
    }

    func testVersionAndHelpShowDefaultsAndValues() throws {
        let version = try AtelierProcess.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout, Atelier.version + "\n")
        let help = try AtelierProcess.run(["stylize", "--help"])
        XCTAssertEqual(help.status, 0)
        let text = help.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        XCTAssertTrue(text.contains("-o, --out"), text)
        XCTAssertTrue(text.contains("--mode <dss|mrf|gatys>"), text)
        XCTAssertTrue(text.contains("(default: dss)"), text)
        XCTAssertTrue(text.contains("--seed <seed>") && text.contains("(default: 0)"), text)
        XCTAssertFalse(text.contains("each worker holds its own copy"), text)
    }

    /// Shares that cannot be a blend are refused with exit 2 naming `--style-weights`, before any
    /// work: a negative one (read as a value, not an option), too many or too few for the
    /// `--style`s, all 0, or not a number.
    func testBadStyleWeightsAreRefusedNamingTheFlag() throws {
        let folder = try TemporaryDirectory()
        let styles = ["--style", Self.example("Monet.png"), "--style", Self.example("starry_night.png")]
        let cases: [(weights: String, says: String)] = [
            ("-0.5,1", "--style-weights: each weight must be a number ≥ 0"),
            ("0.7,0.2,0.1", "--style-weights: 3 given for 2 --style"),
            ("1", "--style-weights: 1 given for 2 --style"),
            ("0,0", "--style-weights: the weights sum to 0"),
            ("0.5,much", "--style-weights 0.5,much: 'much' is not a number"),
        ]
        for (weights, says) in cases {
            let line = try fails(
                ["stylize", "--content", Self.example("chelsea.png")] + styles
                    + ["--style-weights", weights, "-o", folder.path("o.png")] + Self.tiny, status: 2)
            XCTAssertTrue(line.contains(says), "\(weights): \(line)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("o.png")))
    }

    func testWorkersOnAnUntiledJobIsAnError() throws {
        let folder = try TemporaryDirectory()
        let line = try fails(
            ["stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("Monet.png"),
             "-o", folder.path("o.png"), "--workers", "3"] + Self.tiny, status: 2)
        XCTAssertTrue(line.contains("--workers 3: every level of this 48x"), line)
    }

    /// An existing output is replaced only when it is this same job's previous output, or with
    /// `--overwrite`; the plan says which.
    func testAnExistingOutputNeedsOverwriteUnlessTheSameJobWroteIt() throws {
        let folder = try TemporaryDirectory()
        let out = folder.path("o.png")
        let job = ["stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("Monet.png"), "-o", out]
            + Self.tiny
        let first = try AtelierProcess.run(job)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertFalse(first.stderr.contains("replaces"), first.stderr)
        let again = try AtelierProcess.run(job)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("replaces \(out), the previous output of this same job"), again.stderr)
        let other = try fails(job + ["--seed", "7"], status: 2)
        XCTAssertTrue(other.contains("--out \(out): the file exists and is not this job's previous output; "
            + "give --overwrite"), other)
        let forced = try AtelierProcess.run(job + ["--seed", "7", "--overwrite"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stderr.contains("replaces \(out) (--overwrite)"), forced.stderr)
    }

    /// A coarsest level too small for the style's patches is a setting to change (exit 2, naming
    /// coarse_size), not a bad input file.
    func testAStyleTooSmallAtTheCoarsestLevelNamesCoarseSize() throws {
        let folder = try TemporaryDirectory()
        let style = folder.path("small-style.png")
        var random = SystemRandomNumberGenerator()
        // A long strip: at the 32 px coarsest level it is 32x3, below one 3x3 patch of relu3_1.
        let samples = (0..<(3 * 240 * 24)).map { _ in Float.random(in: 0...1, using: &random) }
        try PNGFile.write(Raster(width: 240, height: 24, layout: .rgb, samples: samples), to: style)
        let run = try AtelierProcess.run(
            ["stylize", "--content", Self.example("chelsea.png"), "--style", style, "-o", folder.path("o.png"),
             "--size", "400", "--set", "coarse_size=32", "--set", "iterations=[1]", "--threads", "2", "-q"])
        XCTAssertEqual(run.status, 2, run.stderr)
        let last = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("atelier: coarse_size 32: ") && last.contains(" at this level is "), run.stderr)
        XCTAssertTrue(last.contains("raise coarse_size (or style_scale)"), run.stderr)
    }

    /// `--mode gatys --semantic-weight 5` runs, with a warning that the weight does nothing;
    /// `--config preview` from a folder without Configs/ finds the preset; `-q` prints nothing else.
    func testModeWarningPresetByNameAndQuiet() throws {
        let folder = try TemporaryDirectory()
        let out = folder.path("o.png")
        let process = Process()
        process.executableURL = AtelierProcess.binary
        process.currentDirectoryURL = folder.url
        process.arguments = [
            "stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("Monet.png"), "-o", out,
            "--mode", "gatys", "--semantic-weight", "5", "--config", "preview", "-q",
        ] + Self.tiny
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        XCTAssertEqual(stderr, "warning: --semantic-weight has no effect in gatys mode (only dss matches patches by "
            + "the semantic space)\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        let missing = try fails(
            ["stylize", "--content", Self.example("chelsea.png"), "--style", Self.example("Monet.png"), "-o", out,
             "--config", "no-such-preset"], status: 3)
        XCTAssertTrue(missing.contains("--config no-such-preset: no such file, and no preset of that name (presets: "),
                      missing)
        XCTAssertTrue(missing.contains("preview"), missing)
    }
}

/// `--dump-config`: the effective settings as YAML, which read back with `--config` give the same
/// settings, every key included.
final class DumpConfigTests: XCTestCase {
    func testTheDumpReadsBackAsTheSameSettings() throws {
        var settings = StylizeSettings()
        try settings.set("mode", to: "mrf")
        try settings.set("iterations", to: [30, 7])
        try settings.set("style_scale", to: 1.5)
        try settings.set("tile.rounds", to: 3)
        try settings.set("colour_finish", to: 0.25)
        let folder = try TemporaryDirectory()
        let path = folder.path("dump.yaml")
        try Data(settings.yaml.utf8).write(to: URL(fileURLWithPath: path))
        var read = StylizeSettings()
        try Configuration.apply(file: path, to: &read)
        XCTAssertEqual(read, settings)
        for key in StylizeSettings.keys {
            let name = key.hasPrefix("tile.") ? "  " + key.dropFirst(5) : Substring(key)
            XCTAssertTrue(settings.yaml.contains("\n\(name): ") || settings.yaml.hasPrefix("\(name): "), key)
        }
    }

    /// `--dump-config` needs no image nor output: the settings of the flags and files given.
    /// Without it, each of --content, --style and --out is still required (exit 2, naming it).
    func testDumpConfigNeedsNoImagesOrOutput() throws {
        let alone = try AtelierProcess.run(["stylize", "--dump-config"])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertEqual(alone.stdout, StylizeSettings().yaml)
        let flags = try AtelierProcess.run(
            ["stylize", "--config", "preview", "--set", "coarse_size=200", "--mode", "gatys", "--seed", "9",
             "--dump-config"])
        XCTAssertEqual(flags.status, 0, flags.stderr)
        XCTAssertTrue(flags.stdout.hasPrefix("mode: gatys\n"), flags.stdout)
        XCTAssertTrue(flags.stdout.contains("\ncoarse_size: 200\n"), flags.stdout)
        XCTAssertTrue(flags.stdout.contains("\nseed: 9\n"), flags.stdout)
        XCTAssertTrue(flags.stdout.contains("\nstyle_layers: [relu4_1]\n"), "the preset's key: \(flags.stdout)")
        let bad = try AtelierProcess.run(["stylize", "--set", "coarse_size=big", "--dump-config"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("coarse_size"), bad.stderr)
        XCTAssertEqual(bad.stdout, "")
        for (missing, arguments) in [
            ("--content", ["--style", "s.png", "-o", "o.png"]), ("--style", ["--content", "c.png", "-o", "o.png"]),
            ("--out", ["--content", "c.png", "--style", "s.png"]),
        ] {
            let run = try AtelierProcess.run(["stylize"] + arguments)
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertTrue(run.stderr.contains("Missing expected argument '\(missing) <"), run.stderr)
        }
    }

    func testStylizePrintsTheEffectiveSettingsAndRunsNothing() throws {
        let folder = try TemporaryDirectory()
        let run = try AtelierProcess.run(
            ["stylize", "--content", "c.png", "--style", "s.png", "-o", folder.path("o.png"), "--config", "preview",
             "--set", "coarse_size=200", "--mode", "mrf", "--dump-config"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("mode: mrf\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("\ncoarse_size: 200\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("\nstyle_layers: [relu4_1]\n"), "the preset's key: \(run.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("o.png")))
    }
}

/// The shipped samples that benchmarks default to are found from any folder.
final class SampleLookupTests: XCTestCase {
    func testExamplesAreFoundFromAnotherFolder() throws {
        let folder = try TemporaryDirectory()
        let manager = FileManager.default
        let before = manager.currentDirectoryPath
        defer { manager.changeCurrentDirectoryPath(before) }
        manager.changeCurrentDirectoryPath(folder.path(""))
        let found = Presets.example("Examples/chelsea.png")
        XCTAssertTrue(found.hasPrefix("/") && manager.fileExists(atPath: found), found)
        XCTAssertEqual(Presets.example("Examples/no-such.png"), "Examples/no-such.png")
        XCTAssertEqual(Presets.example("mine.png"), "mine.png")
    }
}
