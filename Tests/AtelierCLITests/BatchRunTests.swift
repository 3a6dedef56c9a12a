import Foundation
import TestSupport
import XCTest

/// `atelier coordinator --batch` as real processes on loopback: three doodle jobs (`DoodleJob`)
/// with one worker, the middle one failing on its missing content; the batch killed after its
/// first job and resumed; bad batch files refused before any work. Every child is ended by its
/// process id in tearDown.
final class BatchRunTests: ProcessTestCase {
    /// The third job: the doodle with another seed and a smaller style, so that its style bank
    /// differs from the first job's (a worker holding the first one must be sent the new one).
    private static let thirdArguments = ["--seed", "4", "--set", "style_scale=0.75"]
    private static let third: Result<Data, Error> = Result { try DoodleJob().stylize(thirdArguments) }

    /// Writes the batch into `folder`: shared inputs and settings; `first` from a job file,
    /// `broken` inline with a content file that is not there, `third` inline with its own seed
    /// and style scale. Outputs go to `folder/out/`, a folder that the batch makes.
    private func batch(in folder: TemporaryDirectory) throws -> String {
        try FileManager.default.createDirectory(atPath: folder.path("jobs"), withIntermediateDirectories: true)
        try "content: \(DoodleJob.example("Coastline_sem.png"))\noutput: ../out/first.png\nseed: 3\n"
            .write(toFile: folder.path("jobs/first.yaml"), atomically: true, encoding: .utf8)
        let shared = (DoodleJob.inputs + "\n" + DoodleJob().settings).split(separator: "\n").map { "  " + $0 }
            .joined(separator: "\n")
        let text = """
            settings:
            \(shared)
            jobs:
              - jobs/first.yaml
              - name: broken
                content: gone.png
                output: out/broken.png
              - name: third
                content: \(DoodleJob.example("Coastline_sem.png"))
                output: out/third.png
                seed: 4
                style_scale: 0.75
            """
        let path = folder.path("batch.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts a batch coordinator on `port` (0: any free one) with run directory `folder/run`.
    private func coordinator(batch: String, folder: TemporaryDirectory, port: Int = 0, _ extra: [String] = [])
        throws -> BackgroundAtelier
    {
        try start(
            [
                "coordinator", "--batch", batch, "--bind", "tcp://127.0.0.1:\(port == 0 ? "*" : String(port))",
                "--run-dir", folder.path("run"), "--threads", "1",
            ] + extra,
            log: folder.path("coordinator-\(children.count).log"))
    }

    private func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], path)
    }

    private func jobs(_ path: String) throws -> [[String: Any]] {
        try XCTUnwrap(try json(path)["jobs"] as? [[String: Any]], path)
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    // MARK: - A batch with a bad job in the middle

    /// Jobs 1 and 3 give `atelier stylize`'s bytes for the same settings (the shared ones under
    /// their own), job 2 is recorded failed with the missing file's name, the batch goes on, and
    /// the table, batch.json and batch-summary.json say so; exit status 1 as some job failed.
    func testABatchRunsEveryJobAndRecordsTheBadOneWithItsReason() throws {
        let (first, third) = (try DoodleJob().reference(), try Self.third.get())
        XCTAssertNotEqual(first, third)
        let folder = try TemporaryDirectory()
        let coordinator = try coordinator(batch: try batch(in: folder), folder: folder)
        _ = try start(
            ["worker", "--connect", try coordinator.endpoint(), "--threads", "1"], log: folder.path("worker.log"))
        XCTAssertEqual(coordinator.exitStatus(timeout: 240), 1, coordinator.log)

        XCTAssertEqual(try bytes(folder.path("out/first.png")), first, "job 1 differs from stylize")
        XCTAssertEqual(try bytes(folder.path("out/third.png")), third, "job 3 differs from stylize")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("out/broken.png")))

        let summary = try jobs(folder.path("run/batch-summary.json"))
        XCTAssertEqual(summary.map { $0["name"] as? String }, ["first", "broken", "third"])
        XCTAssertEqual(summary.map { $0["status"] as? String }, ["done", "failed", "done"])
        XCTAssertEqual(summary.map { $0["tiles"] as? Int }, [DoodleJob.tiles, nil, DoodleJob.tiles])
        XCTAssertEqual(summary.map { $0["retries"] as? Int }, [0, nil, 0])
        XCTAssertEqual(summary[0]["width"] as? Int, 96)
        XCTAssertEqual(summary[0]["height"] as? Int, 72)
        let reason = try XCTUnwrap(summary[1]["reason"] as? String)
        XCTAssertTrue(reason.contains(folder.path("gone.png")), reason)
        let state = try jobs(folder.path("run/batch.json"))
        XCTAssertEqual(state.map { $0["status"] as? String }, ["done", "failed", "done"])
        XCTAssertEqual(state[1]["reason"] as? String, reason)

        // The table, on standard output: aligned rows in batch order, then the reason.
        let log = coordinator.log
        let rows = log.split(separator: "\n").filter { row in
            ["job ", "first ", "broken ", "third "].contains { row.hasPrefix($0) }
        }
        XCTAssertEqual(rows.count, 4, log)
        XCTAssertEqual(rows[1].split(separator: " ").prefix(3), ["first", "done", "96x72"], "\(rows)")
        XCTAssertEqual(rows[2].split(separator: " ").prefix(3), ["broken", "failed", "-"], "\(rows)")
        XCTAssertEqual(rows[3].split(separator: " ").suffix(2), ["\(DoodleJob.tiles)", "0"], "\(rows)")
        // Columns line up: each row's second cell starts under `status`; numbers end under `retries`.
        let statusColumns = rows.map { row in
            row.distance(from: row.startIndex, to: row.firstIndex(of: " ")!)
                + row.drop { $0 != " " }.prefix { $0 == " " }.count
        }
        XCTAssertEqual(
            Set(statusColumns),
            [rows[0].distance(from: rows[0].startIndex, to: rows[0].firstRange(of: "status")!.lowerBound)], "\(rows)")
        XCTAssertEqual(Set(rows.map(\.count)), [rows[0].count], "\(rows)")
        XCTAssertTrue(log.contains("failed:\n  broken: \(reason)\n"), log)
        XCTAssertTrue(log.contains("3 jobs: 2 done, 0 skipped (done before), 1 failed, 0 not run"), log)

        // Each job in its own run directory, with its own summary counting its own tiles.
        for name in ["first", "third"] {
            let own = try json(folder.path("run/jobs/\(name)/summary.json"))
            let workers = try XCTUnwrap(own["workers"] as? [[String: Any]])
            XCTAssertEqual(workers.compactMap { $0["tiles"] as? Int }.reduce(0, +), DoodleJob.tiles, name)
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: folder.path("run/jobs/\(name)/previews/level-2-96x72.png")))
        }
    }

    // MARK: - Killed and resumed

    /// The coordinator is killed with SIGKILL once job 1 is marked done in batch.json; started
    /// again with --resume on the same port (the worker stays and reconnects), it leaves job 1
    /// alone (same inode and modification time), runs the others, and the summary says skipped.
    func testAKilledBatchResumesWithoutTouchingFinishedJobs() throws {
        let third = try Self.third.get()
        let folder = try TemporaryDirectory()
        let batch = try batch(in: folder)
        let port = try freeLoopbackPort()
        let first = try coordinator(batch: batch, folder: folder, port: port)
        _ = try start(["worker", "--connect", try first.endpoint(), "--threads", "1"], log: folder.path("worker.log"))
        let state = folder.path("run/batch.json")
        let deadline = Date().addingTimeInterval(180)
        while (try? jobs(state).first?["status"] as? String) != "done" && Date() < deadline && first.process.isRunning {
            usleep(20_000)
        }
        first.stop(SIGKILL)
        XCTAssertEqual(try jobs(state).first?["status"] as? String, "done", first.log)
        let output = folder.path("out/first.png")
        let before = try FileManager.default.attributesOfItem(atPath: output)

        // Without --resume the folder holding a batch is refused.
        let refused = try AtelierProcess.run(
            ["coordinator", "--batch", batch, "--bind", "tcp://127.0.0.1:*", "--run-dir", folder.path("run")],
            timeout: 60)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--resume"), refused.stderr)

        let second = try coordinator(batch: batch, folder: folder, port: port, ["--resume"])
        XCTAssertEqual(second.exitStatus(timeout: 240), 1, second.log)
        XCTAssertTrue(second.log.contains("job 1/3 first: done before; skipped"), second.log)
        let after = try FileManager.default.attributesOfItem(atPath: output)
        XCTAssertEqual(
            after[.systemFileNumber] as? Int, before[.systemFileNumber] as? Int, "job 1's output was replaced")
        XCTAssertEqual(
            after[.modificationDate] as? Date, before[.modificationDate] as? Date, "job 1's output was rewritten")
        XCTAssertEqual(try bytes(folder.path("out/third.png")), third)
        let summary = try jobs(folder.path("run/batch-summary.json"))
        XCTAssertEqual(summary.map { $0["status"] as? String }, ["skipped", "failed", "done"])
        XCTAssertEqual(summary[0]["tiles"] as? Int, DoodleJob.tiles, "a skipped job keeps its numbers")
        XCTAssertEqual(try jobs(state).map { $0["status"] as? String }, ["done", "failed", "done"])
    }

    // MARK: - Bad batch files: exit 2 before any work

    private func assertRefused(
        _ batchText: String?, _ arguments: [String] = [], naming names: [String], file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let folder = try TemporaryDirectory()
        let batch = folder.path("batch.yaml")
        if let batchText { try batchText.write(toFile: batch, atomically: true, encoding: .utf8) }
        let run = try AtelierProcess.run(
            ["coordinator", "--batch", batch, "--bind", "tcp://127.0.0.1:*"]
                + (arguments.isEmpty ? ["--run-dir", folder.path("run")] : arguments), timeout: 60)
        XCTAssertEqual(run.status, 2, run.stderr, file: file, line: line)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, "one line: \(run.stderr)", file: file, line: line)
        XCTAssertTrue(run.stderr.hasPrefix("atelier: "), run.stderr, file: file, line: line)
        for name in names + (arguments.isEmpty ? [batch] : []) {
            XCTAssertTrue(run.stderr.contains(name), "'\(name)' not in: \(run.stderr)", file: file, line: line)
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder.path("run/batch.json")), "work started", file: file,
            line: line)
    }

    func testBadBatchFilesAreRefusedNamingTheKeyOrEntry() throws {
        let job = "{name: a, content: c.png, style: s.png, output: o.png}"
        try assertRefused(nil, naming: ["cannot read the batch file"])
        try assertRefused("jobs: [\(job)]\njbos: []\n", naming: ["unknown key 'jbos'"])
        try assertRefused("settings: {}\n", naming: ["jobs must be a non-empty list"])
        try assertRefused("jobs: [\(job), \(job)]\n", naming: ["jobs entry 2", "'a' is already entry 1's"])
        try assertRefused("jobs: [\(job), missing.yaml]\n", naming: ["jobs entry 2", "no job file at", "missing.yaml"])
        try assertRefused("jobs: [{content: c.png}]\n", naming: ["jobs entry 1", "'name'"])
        try assertRefused("jobs: [{name: ../up, output: o.png}]\n", naming: ["jobs entry 1", "'../up'"])
        try assertRefused("settings: {style_wieght: 2}\njobs: [\(job)]\n", naming: ["settings", "style_wieght"])
        try assertRefused("settings: {output: o.png}\njobs: [\(job)]\n", naming: ["settings: output"])
        try assertRefused("jobs: [\(job)]\n", ["--threads", "1"], naming: ["--batch needs --run-dir"])
        try assertRefused("jobs: [\(job)]\n", ["--job", "j.yaml", "--run-dir", "r"], naming: ["either --job"])
        try assertRefused(
            "jobs: [\(job)]\n", ["--run-dir", "r", "--preview-dir", "p"], naming: ["--preview-dir goes with --job"])
    }
}
