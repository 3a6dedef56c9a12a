import Foundation
import Messaging
@testable import Pipeline
import TestSupport
import XCTest

/// `atelier coordinator` and `atelier worker` as real processes on loopback: the same bytes as
/// `atelier stylize` with one or three workers, a worker killed in the middle of a task, CURVE
/// admission of trusted workers only, foreign clients dropped, and the one-line bad-input errors.
/// Every child is ended by its process id in tearDown.
final class DistributedRunTests: ProcessTestCase {
    private static let tiles = DoodleJob.tiles

    private static let doodle = DoodleJob()

    private func job(in folder: TemporaryDirectory, output: String, extra: String = "") throws -> String {
        try Self.doodle.write(in: folder, output: output, extra: extra)
    }

    /// Starts a coordinator on a free loopback port and returns it with the endpoint it printed.
    private func coordinator(
        job: String, folder: TemporaryDirectory, _ extra: [String] = []
    ) throws -> (BackgroundAtelier, String) {
        let process = try start(
            ["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:*", "--threads", "1",
             "--summary", folder.path("summary.json")] + extra,
            log: folder.path("coordinator.log"))
        return (process, try process.endpoint())
    }

    private func worker(_ endpoint: String, folder: TemporaryDirectory, name: String, _ extra: [String] = []) throws
        -> BackgroundAtelier
    {
        try start(["worker", "--connect", endpoint, "--threads", "1"] + extra, log: folder.path("\(name).log"))
    }

    private func summary(_ folder: TemporaryDirectory) throws -> RunSummary {
        try RunSummary(contentsOf: folder.path("summary.json"))
    }

    /// Waits for the coordinator to exit 0 and returns the output's bytes.
    private func finished(_ coordinator: BackgroundAtelier, output: String) throws -> Data {
        XCTAssertEqual(coordinator.exitStatus(timeout: 90), 0, coordinator.log)
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    // MARK: - The same bytes at every scale

    func testOneAndThreeWorkerProcessesGiveStylizesBytes() throws {
        let reference = try Self.doodle.reference()
        for count in [1, 3] {
            let folder = try TemporaryDirectory("workers\(count)")
            let (coordinator, endpoint) = try coordinator(job: try job(in: folder, output: "out.png"), folder: folder)
            for index in 0..<count { _ = try worker(endpoint, folder: folder, name: "worker-\(index)") }
            XCTAssertEqual(try finished(coordinator, output: folder.path("out.png")), reference,
                           "\(count) worker process(es) changed the output")
            let summary = try summary(folder)
            let levels = summary.levels
            XCTAssertEqual(levels.map { $0["tiles"] as? Int }, [4, 21])
            XCTAssertEqual(summary.tilesByWorker.values.reduce(0, +), Self.tiles, "each tile accepted once")
            XCTAssertLessThanOrEqual(summary.tilesByWorker.count, count)
            XCTAssertTrue(coordinator.log.contains("level 2/2 96x72 round 2/2: 12 tiles"), coordinator.log)
        }
    }

    /// Workers of two threads, and one of one thread beside one of two, under a coordinator of
    /// two threads: `stylize --threads 1`'s bytes, whichever worker solved which tile.
    func testWorkersOfOneTwoAndMixedThreadsGiveStylizesBytes() throws {
        let reference = try Self.doodle.reference()
        for (name, threads) in [("two", ["2", "2"]), ("mixed", ["1", "2"])] {
            let folder = try TemporaryDirectory("threads-\(name)")
            let (coordinator, endpoint) = try coordinator(
                job: try job(in: folder, output: "out.png"), folder: folder, ["--threads", "2"])
            let workers = try threads.enumerated().map { index, count in
                try worker(endpoint, folder: folder, name: "worker-\(index)", ["--threads", count])
            }
            XCTAssertEqual(try finished(coordinator, output: folder.path("out.png")), reference,
                           "workers of \(threads) threads changed the output")
            let summary = try summary(folder)
            XCTAssertEqual(summary.tilesByWorker.values.reduce(0, +), Self.tiles, "each tile accepted once")
            // Each worker names its BLAS kernel when it starts, and the summary records it per worker.
            let started = try XCTUnwrap(workers[0].line(containing: "BLAS kernel", timeout: 5), workers[0].log)
            let kernel = String(try XCTUnwrap(started.components(separatedBy: "BLAS kernel ").last))
            let reported = (summary.json["workers"] as? [[String: Any]] ?? []).map { $0["blas_kernel"] as? String }
            XCTAssertFalse(reported.isEmpty)
            XCTAssertEqual(reported, reported.map { _ in kernel }, "\(summary.json)")
            XCTAssertFalse(coordinator.log.contains("different BLAS kernels"), coordinator.log)
        }
    }

    // MARK: - A worker killed in the middle of a task

    /// The only worker is killed with SIGKILL while it solves a tile of the second level; once
    /// the coordinator has declared it dead, a second worker finishes the job: the task it held
    /// is retried (counted in the summary), every tile is accepted once, and the bytes are those
    /// of the fault-free run.
    func testAWorkerKilledMidTaskLosesNothingAndChangesNoByte() throws {
        let reference = try Self.doodle.reference()
        let folder = try TemporaryDirectory()
        let (coordinator, endpoint) = try coordinator(job: try job(in: folder, output: "out.png"), folder: folder)
        let doomed = try worker(endpoint, folder: folder, name: "doomed")
        XCTAssertNotNil(doomed.line(containing: "solving level 1 round 0 tile 2", timeout: 60), doomed.log)
        doomed.stop(SIGKILL)
        XCTAssertNotNil(coordinator.line(containing: "stopped responding", timeout: 30), coordinator.log)
        _ = try worker(endpoint, folder: folder, name: "rescuer")
        XCTAssertEqual(try finished(coordinator, output: folder.path("out.png")), reference, "the kill changed the output")
        let summary = try summary(folder)
        XCTAssertEqual(summary.json["dead_workers"] as? Int, 1)
        XCTAssertEqual(summary.json["retries"] as? Int, 1, "the killed worker's task was queued again once")
        let levels = summary.levels
        XCTAssertEqual(levels.map { $0["retries"] as? Int }, [0, 1])
        let byWorker = summary.tilesByWorker
        XCTAssertEqual(byWorker.count, 2, "\(byWorker)")
        XCTAssertEqual(byWorker.values.reduce(0, +), Self.tiles, "no tile lost or applied twice: \(byWorker)")
    }

    // MARK: - A coordinator killed between rounds resumes from its run directory

    /// The doodle job with four rounds at 96×72 (two at 48×36), so that the coordinator can be
    /// killed in the middle of the second level.
    private static let resumeSettings = """
        seed: 3
        size: 96
        content_weight: 0
        coarse_size: 48
        iterations: [2, 4]
        style_layers: [relu3_1]
        content_layer: relu3_1
        tile: {size: 32, overlap: 8, rounds: 4, halo: 16}
        """

    /// Writes the doodle job with `resumeSettings` into `folder` as `name`.
    private func resumeJob(in folder: TemporaryDirectory, output: String, name: String = "job.yaml") throws -> String {
        let path = folder.path(name)
        try "\(DoodleJob.inputs)\noutput: \(output)\n\(Self.resumeSettings)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The run's checkpoint: rounds completed per level.
    private func roundsCompleted(_ runDir: String) -> [Int] {
        guard let data = FileManager.default.contents(atPath: runDir + "/manifest.json"),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let levels = manifest["levels"] as? [[String: Any]] else { return [] }
        return levels.compactMap { $0["roundsCompleted"] as? Int }
    }

    /// The result files stored for a round.
    private func storedResults(_ runDir: String, level: Int, round: Int) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(runDir)/tiles/level-\(level)/round-\(round)")) ?? [])
            .filter { $0.hasSuffix(".result") }
    }

    /// Tiles per round from a coordinator's round lines ("level 2/2 96x72 round 3/4: 12 tiles"),
    /// in order.
    private func roundTiles(_ log: String) -> [Int] {
        log.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("level "), let range = line.range(of: #": (\d+) tiles"#, options: .regularExpression)
            else { return nil }
            return Int(line[range].dropFirst(2).prefix { $0.isNumber })
        }
    }

    /// (a) The coordinator is SIGKILLed once its manifest shows three completed rounds and a tile
    /// of the fourth stored, and one stored result is then damaged (a flipped byte); `--resume`
    /// continues the run: it logs the damaged file, removes it and solves its tile again (before:
    /// exit 3 at the round's blend, on every resume), the output has the uninterrupted run's
    /// bytes, and the resumed run's workers solve exactly the tiles without a sound stored result
    /// (the summary counts them, and the stored ones apart). Then another job file is refused
    /// (status 2, naming the hashes), and so is a fresh start over the stored run.
    func testACoordinatorKilledMidRunResumesToTheSameBytesWithoutRepeatingATile() throws {
        let folder = try TemporaryDirectory()
        let job = try resumeJob(in: folder, output: "out.png")

        // The uninterrupted run; --resume into an empty folder starts afresh.
        let cleanFolder = try TemporaryDirectory("clean")
        let cleanJob = try resumeJob(in: cleanFolder, output: "out.png")
        let (clean, cleanEndpoint) = try coordinator(
            job: cleanJob, folder: cleanFolder, ["--run-dir", cleanFolder.path("run"), "--resume"])
        _ = try worker(cleanEndpoint, folder: cleanFolder, name: "worker")
        let reference = try finished(clean, output: cleanFolder.path("out.png"))
        XCTAssertTrue(clean.log.contains("nothing stored"), clean.log)
        let perRound = roundTiles(clean.log)
        XCTAssertEqual(perRound.count, 6, clean.log)

        // The run to kill: three rounds checkpointed and a tile of the fourth stored.
        let runDir = folder.path("run")
        let (doomed, endpoint) = try coordinator(job: job, folder: folder, ["--run-dir", runDir])
        let firstWorker = try worker(endpoint, folder: folder, name: "worker-1")
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let rounds = roundsCompleted(runDir)
            if rounds.reduce(0, +) >= 3, rounds.count == 2, !storedResults(runDir, level: 1, round: rounds[1]).isEmpty {
                break
            }
            usleep(5_000)
        }
        doomed.stop(SIGKILL)
        firstWorker.stop(SIGKILL)
        let rounds = roundsCompleted(runDir)
        XCTAssertGreaterThanOrEqual(rounds.reduce(0, +), 3, doomed.log)
        XCTAssertEqual(rounds.count, 2, "killed in the second level: \(rounds)")
        let inProgress = rounds.count == 2 ? rounds[1] : 0
        let files = storedResults(runDir, level: 1, round: inProgress).sorted()
        XCTAssertFalse(files.isEmpty, doomed.log)
        let damaged = "\(runDir)/tiles/level-1/round-\(inProgress)/\(files.first ?? "none")"
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: damaged))
        try handle.seek(toOffset: 120)
        let byte = try XCTUnwrap(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 120)
        try handle.write(contentsOf: Data([~byte]))
        try handle.close()
        let stored = files.count - 1
        let checkpointed = perRound.prefix(rounds.reduce(0, +)).reduce(0, +)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("out.png")), "killed before the end")

        // The resumed run, with a new worker.
        let (resumed, resumedEndpoint) = try coordinator(job: job, folder: folder, ["--run-dir", runDir, "--resume"])
        _ = try worker(resumedEndpoint, folder: folder, name: "worker-2")
        XCTAssertEqual(try finished(resumed, output: folder.path("out.png")), reference, "resuming changed the output")
        XCTAssertTrue(resumed.log.contains("--resume: continuing the run in \(runDir)"), resumed.log)
        XCTAssertTrue(
            resumed.log.contains(
                "coordinator: \(damaged): damaged: checksum mismatch; removed, the tile is solved again\n"),
            resumed.log)
        if stored > 0 {
            XCTAssertTrue(
                resumed.log.contains("resuming level 2 round \(inProgress + 1): \(stored) of"), resumed.log)
        }
        let summary = try summary(folder)
        XCTAssertEqual(
            summary.tilesByWorker.values.reduce(0, +), perRound.reduce(0, +) - checkpointed - stored,
            "only the tiles without a stored result were solved again: \(summary.json)")
        XCTAssertEqual(summary.levels.compactMap { $0["stored_tiles"] as? Int }.reduce(0, +), stored)

        // Another job file over this run, and a fresh start over it, are refused.
        let other = try resumeJob(in: folder, output: "other.png", name: "other.yaml")
        try assertFails(
            ["coordinator", "--job", other, "--bind", "tcp://127.0.0.1:*", "--run-dir", runDir, "--resume"], status: 2,
            naming: "belongs to another job")
        try assertFails(
            ["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:*", "--run-dir", runDir], status: 2,
            naming: "already holds a run")
    }

    // MARK: - Admission: trusted keys only; foreign clients dropped

    func testAnUntrustedWorkerGetsNoTaskAndForeignClientsAreDropped() throws {
        let folder = try TemporaryDirectory()
        for name in ["server", "trusted", "stranger"] {
            let run = try AtelierProcess.run(["keys", "generate", "--out", folder.path(name)])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        try FileManager.default.createDirectory(atPath: folder.path("trust"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder.path("trusted/key.pub"), toPath: folder.path("trust/trusted.pub"))
        let (coordinator, endpoint) = try coordinator(
            job: try job(in: folder, output: "out.png"), folder: folder,
            ["--keys", folder.path("server"), "--trust", folder.path("trust")])
        let stranger = try worker(
            endpoint, folder: folder, name: "stranger", ["--keys", folder.path("stranger"), "--server-key", folder.path("server")])
        XCTAssertNotNil(coordinator.line(containing: "its public key is not trusted", timeout: 60), coordinator.log)

        // A raw DEALER with a trusted key: garbage, then a READY of another protocol version.
        let context = try MessagingContext()
        var options = SocketOptions()
        options.curve = .client(try CurveKeyPair.read(from: folder.path("trusted")),
                                serverKey: try CurveKey(contentsOf: folder.path("server/key.pub")))
        let foreign = try context.socket(.dealer, options: options)
        try foreign.connect(endpoint)
        try foreign.send([Data("GET / HTTP/1.1\r\n\r\n".utf8)])
        try foreign.send([Data(Message.ready(ReadyMessage(worker: "old", threads: 1)).encoded(version: Frame.version + 1))])
        let reply = try XCTUnwrap(try foreign.receive(timeout: .seconds(30)), "the coordinator never answered")
        guard case .error(let refusal) = try Message.decode(Array(reply.last!)) else {
            return XCTFail("expected an ERROR refusing the version, got \(reply)")
        }
        XCTAssertTrue(refusal.reason.contains("protocol version"), refusal.reason)
        try foreign.close()
        try context.close()

        let admitted = try worker(
            endpoint, folder: folder, name: "trusted", ["--keys", folder.path("trusted"), "--server-key", folder.path("server")])
        _ = try finished(coordinator, output: folder.path("out.png"))
        XCTAssertEqual(coordinator.log.components(separatedBy: "dropped a message").count - 1, 2, coordinator.log)
        let byWorker = try summary(folder).tilesByWorker
        XCTAssertEqual(byWorker, ["\(ProcessInfo.processInfo.hostName)-\(admitted.pid)": Self.tiles])
        XCTAssertNil(stranger.line(containing: "solving", timeout: 0), stranger.log)
    }

    // MARK: - Bad inputs: one line, the documented status

    private func assertFails(
        _ arguments: [String], status: Int32, naming names: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let run = try AtelierProcess.run(arguments, timeout: 60)
        XCTAssertEqual(run.status, status, run.stderr, file: file, line: line)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, "one line: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderr.hasPrefix("atelier: "), run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(names), "'\(names)' not in: \(run.stderr)", file: file, line: line)
    }

    func testMissingJobFileIsAConfigurationError() throws {
        let folder = try TemporaryDirectory()
        let missing = folder.path("none.yaml")
        try assertFails(["coordinator", "--job", missing, "--bind", "tcp://127.0.0.1:*"], status: 2, naming: missing)
    }

    func testUnknownJobKeyIsAConfigurationErrorNamingIt() throws {
        let folder = try TemporaryDirectory()
        let job = try job(in: folder, output: "out.png", extra: "style_wieght: 2")
        try assertFails(["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:*"], status: 2, naming: "style_wieght")
    }

    func testMissingContentFileIsABadInput() throws {
        let folder = try TemporaryDirectory()
        let job = folder.path("job.yaml")
        try "content: gone.png\nstyle: \(DoodleJob.example("Monet.png"))\noutput: out.png\n"
            .write(toFile: job, atomically: true, encoding: .utf8)
        try assertFails(["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:*"], status: 3, naming: folder.path("gone.png"))
    }

    func testPlainTCPBeyondLoopbackIsRefusedWithoutKeysOrInsecure() throws {
        let folder = try TemporaryDirectory()
        let job = try job(in: folder, output: "out.png")
        try assertFails(["coordinator", "--job", job, "--bind", "tcp://0.0.0.0:5555"], status: 2, naming: "--insecure")
        try assertFails(["worker", "--connect", "tcp://10.1.2.3:5555"], status: 2, naming: "--insecure")
        try assertFails(
            ["coordinator", "--job", job, "--bind", "tcp://0.0.0.0:5555", "--keys", folder.path("k")], status: 2,
            naming: "--trust")
    }

    // MARK: - Cluster/local/run with the real commands

    func testLocalLauncherRunsTheJobWithTwoWorkers() throws {
        let reference = try Self.doodle.reference()
        let folder = try TemporaryDirectory()
        let job = try job(in: folder, output: "out.png")
        let launcher = Fixtures.projectRoot.appendingPathComponent("Cluster/local/run").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        process.arguments = [
            "--job", job, "--workers", "2", "--threads", "1", "--run-dir", folder.path("run"),
            "--port", String(try freeLoopbackPort()), "--atelier", AtelierProcess.binary.path,
        ]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGTERM); process.waitUntilExit() }
        let log = (try? String(contentsOfFile: folder.path("run/logs/coordinator.log"), encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 0, log)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.path("out.png"))), reference)
        XCTAssertTrue(log.contains("(CurveZMQ)"), log)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path("run/summary.json")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path("run/previews/level-2-96x72.png")))
    }
}
