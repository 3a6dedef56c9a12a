import Foundation
import ImageIO
import TestSupport
import XCTest

/// Ctrl-C and SIGTERM sent to a real `atelier stylize` in the middle of a level: it stops at the
/// next iteration with 130 or 143 and one line that says what it kept and how to continue; with a
/// run directory `--resume` then finishes the job with the uninterrupted run's bytes, and without
/// one the last finished level is left beside the output.
final class InterruptionTests: ProcessTestCase {
    private static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    /// Two untiled levels (32 and 64 px on the long side), the second long enough to be hit.
    private static func arguments(out: String) -> [String] {
        ["stylize", "--content", example("Coastline_sem.png"), "--style", example("Monet.png"),
         "--content-seg", example("Coastline_sem.png"), "--style-seg", example("Monet_sem.png"),
         "--set", "content_weight=0", "--size", "64", "--set", "iterations=[3, 60]", "--set", "coarse_size=32",
         "--threads", "2", "-o", out]
    }

    /// Starts the run with `extra` flags, waits for an iteration of the second level and sends `signal`.
    private func interrupt(_ extra: [String], out: String, log: String, signal: Int32) throws -> BackgroundAtelier {
        let child = try start(Self.arguments(out: out) + extra + ["--verbose"], log: log)
        XCTAssertNotNil(child.line(containing: "level 2/2 64x48: iteration 2/60", timeout: 240), child.log)
        kill(child.pid, signal)
        return child
    }

    func testSIGINTWithARunDirectoryResumesToTheUninterruptedBytes() throws {
        let folder = try TemporaryDirectory()
        let reference = folder.path("reference.png")
        let whole = try AtelierProcess.run(Self.arguments(out: reference))
        XCTAssertEqual(whole.status, 0, whole.stderr)

        let out = folder.path("resumed.png"), run = folder.path("run")
        let child = try interrupt(["--run-dir", run], out: out, log: folder.path("first.log"), signal: SIGINT)
        XCTAssertEqual(child.exitStatus(timeout: 60), 130, child.log)
        let last = try XCTUnwrap(child.log.split(separator: "\n").last.map(String.init))
        XCTAssertTrue(last.hasPrefix("atelier: interrupted by SIGINT (Ctrl-C): the run in \(run) keeps"), last)
        XCTAssertTrue(last.contains("continue with: ") && last.hasSuffix("--resume"), last)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no output from an interrupted run")

        let resumed = try AtelierProcess.run(Self.arguments(out: out) + ["--run-dir", run, "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("--resume: continuing the run in \(run) (level 1 1/1 rounds"),
                      resumed.stderr)
        XCTAssertFalse(resumed.stderr.contains("level 1/2 32x24"), "the finished level ran again: \(resumed.stderr)")
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: out)), try Data(contentsOf: URL(fileURLWithPath: reference)),
            "the resumed run's bytes differ from the uninterrupted run's")
    }

    func testSIGTERMWithoutARunDirectoryLeavesTheLastLevelBesideTheOutput() throws {
        let folder = try TemporaryDirectory()
        let out = folder.path("out.jpg")
        let child = try interrupt([], out: out, log: folder.path("log"), signal: SIGTERM)
        XCTAssertEqual(child.exitStatus(timeout: 60), 143, child.log)
        let level = folder.path("out.level-1-of-2.png")
        let last = try XCTUnwrap(child.log.split(separator: "\n").last.map(String.init))
        XCTAssertEqual(
            last, "atelier: interrupted by SIGTERM: level 1 of 2 (32x24) is in \(level); to continue a run after "
                + "Ctrl-C, give --run-dir DIR (then the same command with --resume)")
        let raster = try PNGFile.read(path: level)
        XCTAssertEqual([raster.width, raster.height], [32, 24])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    /// A coordinator whose job never tiles, with a run directory: each level is a task that a
    /// worker solves whole and a checkpoint (not a run solved in memory that keeps nothing). SIGINT
    /// once the first level is stored (its round line is out) and while the worker holds the
    /// second exits 130 with the resume command; `--resume` skips the stored level and writes the
    /// bytes of `stylize` on the same job, uninterrupted.
    func testAnUntiledCoordinatorInterruptedMidJobResumesToTheUninterruptedBytes() throws {
        let folder = try TemporaryDirectory()
        let reference = folder.path("reference.png")
        let whole = try AtelierProcess.run(Self.arguments(out: reference))
        XCTAssertEqual(whole.status, 0, whole.stderr)

        let out = folder.path("out.png"), run = folder.path("run"), job = folder.path("job.yaml")
        try Data("""
            content: \(Self.example("Coastline_sem.png"))
            style: \(Self.example("Monet.png"))
            content_seg: \(Self.example("Coastline_sem.png"))
            style_seg: \(Self.example("Monet_sem.png"))
            output: \(out)
            size: 64
            content_weight: 0
            iterations: [3, 60]
            coarse_size: 32
            """.utf8).write(to: URL(fileURLWithPath: job))
        func coordinator(_ extra: [String], log: String) throws -> BackgroundAtelier {
            let child = try start(
                ["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:\(try freeLoopbackPort())", "--insecure",
                 "--run-dir", run, "--threads", "2"] + extra, log: folder.path(log))
            _ = try start(
                ["worker", "--connect", try child.endpoint(), "--threads", "2"], log: folder.path(log + ".worker"))
            return child
        }
        let first = try coordinator([], log: "first.log")
        XCTAssertNotNil(first.line(containing: "level 1/2 32x24 round 1/1: 1 tiles", timeout: 240), first.log)
        kill(first.pid, SIGINT)
        XCTAssertEqual(first.exitStatus(timeout: 60), 130, first.log)
        XCTAssertTrue(first.log.contains("atelier: interrupted by SIGINT (Ctrl-C): the run in \(run) is resumable; "
            + "continue with: "), first.log)
        XCTAssertFalse(first.log.contains("level 2/2 64x48 round 1/1"), "the second level finished: \(first.log)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no output from an interrupted run")

        let resumed = try coordinator(["--resume"], log: "resumed.log")
        XCTAssertEqual(resumed.exitStatus(timeout: 240), 0, resumed.log)
        XCTAssertTrue(resumed.log.contains("--resume: continuing the run in \(run) (level 1 1/1 rounds"), resumed.log)
        XCTAssertFalse(resumed.log.contains("level 1/2 32x24 round"), "the stored level ran again: \(resumed.log)")
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: out)), try Data(contentsOf: URL(fileURLWithPath: reference)),
            "the resumed coordinator's bytes differ from the uninterrupted stylize run's")
    }

    /// A coordinator with a run directory stops on SIGTERM while it waits for workers (none come)
    /// and says how to resume.
    func testCoordinatorStopsOnSIGTERMAndSaysHowToResume() throws {
        let folder = try TemporaryDirectory()
        let job = folder.path("job.yaml")
        try Data("""
            content: \(Self.example("Coastline_sem.png"))
            style: \(Self.example("Monet.png"))
            output: \(folder.path("out.png"))
            size: 72
            iterations: [1]
            coarse_size: 72
            tile:
              size: 32
              overlap: 8
            """.utf8).write(to: URL(fileURLWithPath: job))
        let run = folder.path("run")
        let coordinator = try start(
            ["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:\(try freeLoopbackPort())", "--insecure",
             "--run-dir", run, "--threads", "2"], log: folder.path("coordinator.log"))
        XCTAssertNotNil(coordinator.line(containing: "listening on", timeout: 240), coordinator.log)
        kill(coordinator.pid, SIGTERM)
        XCTAssertEqual(coordinator.exitStatus(timeout: 30), 143, coordinator.log)
        XCTAssertTrue(coordinator.log.contains("atelier: interrupted by SIGTERM: the run in \(run) is resumable; "
            + "continue with: "), coordinator.log)
        XCTAssertTrue(FileManager.default.fileExists(atPath: (run as NSString).appendingPathComponent("manifest.json")),
                      "no resumable state in \(run)")
    }
}
