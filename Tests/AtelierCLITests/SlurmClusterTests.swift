import Foundation
import TestSupport
import XCTest

/// `Cluster/slurm/atelier.sbatch` under a real Slurm: Debian's slurmctld, slurmd and munged as a
/// cluster of one node (`Cluster/slurm/one-node`, everything in a temporary folder). The job is
/// requeued in the middle of its last level, by `scontrol requeue` or by the script itself on the
/// time limit's signal; the next attempt resumes from the run directory and the output is
/// `atelier stylize`'s bytes. Skipped, saying why, where Slurm is not installed or the test does
/// not run as root, unless `CI=true`, where that is a failure (`Scripts/setup` installs slurm-wlm
/// and munge, and CI runs as root).
final class SlurmClusterTests: XCTestCase {
    private static let oneNode = Fixtures.projectRoot.appendingPathComponent("Cluster/slurm/one-node").path
    private static let sbatchScript = Fixtures.projectRoot.appendingPathComponent("Cluster/slurm/atelier.sbatch").path

    struct SlurmUnavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// What setUp throws when this machine cannot run the cluster: a skip saying why, or under
    /// `CI=true` in `environment` an error, which fails the test.
    static func unavailable(
        _ reason: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Error {
        guard environment["CI"] == "true" else { return XCTSkip(reason) }
        return SlurmUnavailable(description: "CI=true, but \(reason)")
    }

    /// The cluster's folder (daemons, state, logs; a short path: munge's socket lives in it), or
    /// nil before `up`.
    private var cluster: TemporaryDirectory?

    override func setUpWithError() throws {
        try super.setUpWithError()
        do {
            try ReferenceTool.run(Self.oneNode, ["check"])
        } catch {
            throw Self.unavailable("the Slurm test needs slurm-wlm and munge (Scripts/setup) and root: \(error)")
        }
    }

    override func tearDown() {
        if let cluster {
            XCTAssertNoThrow(try ReferenceTool.run(Self.oneNode, ["down", cluster.path("slurm")]))
        }
        cluster = nil
        super.tearDown()
    }

    /// Runs a Slurm client command (`sbatch`, `scontrol`, `squeue`) against the test's cluster,
    /// with `environment` added, and returns its standard output.
    @discardableResult
    private func slurm(_ command: [String], environment: [String: String] = [:]) throws -> String {
        let conf = try XCTUnwrap(cluster).path("slurm/slurm.conf")
        let assignments = (["SLURM_CONF": conf].merging(environment) { $1 }).map { "\($0.key)=\($0.value)" }
        return try ReferenceTool.run("/usr/bin/env", assignments.sorted() + command)
    }

    /// The job's state as Slurm reports it (`RUNNING`, `PENDING`, `COMPLETED`, ...).
    private func state(of job: String) throws -> String {
        try slurm(["squeue", "--noheader", "--states=all", "--jobs=\(job)", "--format=%T"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits up to `timeout` seconds for `condition`, checking every 0.1 s; false if it never held.
    private func wait(timeout: TimeInterval, for condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if try condition() { return true }
            usleep(100_000)
        } while Date() < deadline
        return false
    }

    /// Submits the doodle job, with enough iterations at its last level (21 tiles, one worker of
    /// two threads) that it is caught in the middle, and calls `interrupt` with the job id once
    /// the run directory holds a stored result of that level (the coordinator stores each result
    /// as it arrives: the level is then running and still far from done). Checks that the job
    /// was requeued, releases it, and that the next attempt resumed that level and ended with
    /// `stylize`'s bytes. Returns the first attempt's log lines.
    private func requeueMidRun(by interrupt: (String) throws -> Void) throws -> ArraySlice<String> {
        let doodle = DoodleJob(iterations: [2, 24])
        let folder = try TemporaryDirectory()
        let cluster = try TemporaryDirectory("slurm")
        self.cluster = cluster
        try ReferenceTool.run(Self.oneNode, ["up", cluster.path("slurm")])

        let job = try doodle.write(in: folder, output: "out.png")
        let runDirectory = folder.path("run")
        let submitted = try slurm(
            [
                "sbatch", "--parsable", "--nodes=1", "--cpus-per-task=2", "--chdir=\(folder.url.path)",
                Self.sbatchScript,
            ],
            environment: [
                "ATELIER_JOB": job, "ATELIER_RUN_DIR": runDirectory, "ATELIER_KEYS": folder.path("keys"),
                "ATELIER_PORT": String(try freeLoopbackPort()), "ATELIER": AtelierProcess.binary.path,
            ])
        let id = submitted.trimmingCharacters(in: .whitespacesAndNewlines)
        let output = folder.path("atelier-\(id).out")
        func log() -> String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

        let lastLevel = "\(runDirectory)/tiles/level-1"
        let caught = wait(timeout: 120) {
            let rounds = (try? FileManager.default.subpathsOfDirectory(atPath: lastLevel)) ?? []
            return rounds.contains { $0.hasSuffix(".result") }
        }
        guard caught else {
            XCTFail("no result of the last level stored within 120 s: \(log())")
            return []
        }
        try interrupt(id)
        // A requeued job waits for its credential to expire (one-node sets 10 s) before it starts.
        let pending = try wait(timeout: 60) { try state(of: id) == "PENDING" }
        let requeued = try state(of: id)
        XCTAssertTrue(pending, "job \(id) is \(requeued) after the requeue: \(log())")
        let ended = try wait(timeout: 150) { ["COMPLETED", "FAILED", "CANCELLED"].contains(try state(of: id)) }
        let final = try state(of: id)
        XCTAssertTrue(ended, "job \(id) is still \(final): \(log())")
        XCTAssertEqual(final, "COMPLETED", log())

        let lines = log().split(separator: "\n").map(String.init)
        let first = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("atelier.sbatch: attempt 0") }, log())
        let second = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("atelier.sbatch: attempt 1") }, log())
        // The first attempt's coordinator stopped with 143, its run resumable, and wrote nothing.
        let attempt0 = lines[first..<second]
        XCTAssertTrue(attempt0.contains("atelier.sbatch: coordinator exited with status 143"), log())
        XCTAssertFalse(attempt0.contains { $0.contains("wrote \(folder.path("out.png"))") }, log())
        // The second resumed the last level rather than starting again, and finished.
        let attempt1 = lines[second...]
        let continuing = "coordinator: --resume: continuing the run in \(runDirectory)"
        XCTAssertTrue(attempt1.contains("\(continuing) (level 1 2/2 rounds, level 2 0/2 rounds)"), log())
        XCTAssertTrue(attempt1.contains { $0.contains("coordinator: resuming level 2 round 1: ") }, log())
        XCTAssertTrue(attempt1.contains { $0.hasSuffix("coordinator: wrote \(folder.path("out.png"))") }, log())
        // The workers are stopped after the coordinator (srun ends their step with SIGKILL).
        let lastWord = attempt1.last { $0.hasPrefix("atelier.sbatch:") }
        XCTAssertEqual(lastWord, "atelier.sbatch: coordinator exited with status 0", log())

        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("out.png")))
        XCTAssertEqual(bytes, try doodle.reference(), "the requeued job's output differs from stylize's")
        return attempt0
    }

    /// `scontrol requeue` (as an operator or a preemption would): Slurm sends SIGTERM to every
    /// process of the job and queues it again.
    func testARequeuedJobResumesFromItsRunDirectoryAndEndsWithStylizesBytes() throws {
        // Incomplete: a job that has already ended is not run again (the test then fails).
        let attempt0 = try requeueMidRun { try slurm(["scontrol", "requeue", "Incomplete", $0]) }
        let requeued = attempt0.contains { $0.contains("CANCELLED") && $0.contains("DUE TO JOB REQUEUE") }
        XCTAssertTrue(requeued, "\(attempt0)")
        XCTAssertTrue(attempt0.contains { $0.hasPrefix("atelier.sbatch: SIGTERM, stopping") }, "\(attempt0)")
    }

    /// The signal Slurm sends before the time limit (`--signal=B:USR1@300`), sent now to the batch
    /// script alone: the script stops the run and requeues its own job.
    func testTheTimeLimitSignalRequeuesTheJobWhichResumes() throws {
        let attempt0 = try requeueMidRun { try slurm(["scancel", "--batch", "--signal=USR1", $0]) }
        XCTAssertTrue(attempt0.contains("atelier.sbatch: time limit near, requeueing"), "\(attempt0)")
    }
}

/// When the one-node cluster cannot run, the Slurm test says why: a skip on a developer's machine,
/// a failure in CI (`CI=true`), and `one-node` names what is missing.
final class SlurmClusterRequirementTests: XCTestCase {
    private static let oneNode = Fixtures.projectRoot.appendingPathComponent("Cluster/slurm/one-node").path

    /// Runs `command` to its end (its output is a line or two) with its status and both outputs.
    private func run(_ command: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = FileHandle.nullDevice
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let text = { (pipe: Pipe) in String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        return (process.terminationStatus, text(out), text(err))
    }

    func testMissingSlurmSkipsOutsideCIAndFailsInCI() {
        XCTAssertTrue(SlurmClusterTests.unavailable("no slurmd", environment: [:]) is XCTSkip)
        XCTAssertTrue(SlurmClusterTests.unavailable("no slurmd", environment: ["CI": "false"]) is XCTSkip)
        let required = SlurmClusterTests.unavailable("no slurmd", environment: ["CI": "true"])
        XCTAssertFalse(required is XCTSkip)
        XCTAssertEqual("\(required)", "CI=true, but no slurmd")
    }

    /// `check` names the first missing command (here the daemons, off a PATH without /usr/sbin)
    /// and `up` refuses with that reason and status 1; a missing folder is a usage error (2).
    func testOneNodeNamesWhatIsMissing() throws {
        let withoutDaemons = ["/usr/bin/env", "PATH=/usr/bin", Self.oneNode]
        let check = try run(withoutDaemons + ["check"])
        XCTAssertEqual(check.status, 1)
        if getuid() == 0 {
            XCTAssertEqual(check.stdout, "no munged (Debian packages slurm-wlm and munge)\n")
            let folder = try TemporaryDirectory()
            let up = try run(withoutDaemons + ["up", folder.path("cluster")])
            XCTAssertEqual(up.status, 1)
            XCTAssertEqual(up.stderr, "one-node: no munged (Debian packages slurm-wlm and munge)\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("cluster")), "nothing is made")
        } else {
            XCTAssertEqual(check.stdout, "not root (slurmd runs jobs as their users)\n")
        }
        let usage = try run([Self.oneNode, "up"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertEqual(usage.stderr, "one-node: usage: one-node up DIR | down DIR | run DIR -- COMMAND... | check\n")
    }
}
