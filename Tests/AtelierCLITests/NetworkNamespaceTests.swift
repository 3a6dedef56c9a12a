import Foundation
import TestSupport
import XCTest

/// The coordinator and its workers on different hosts of a real network: network namespaces
/// joined by a switch (`Cluster/netns/hosts`), with CurveZMQ between them. A worker whose link
/// goes down in the middle of a task costs nothing: the coordinator declares it dead and queues
/// its task again, the worker rejoins once its link is back, and the output is `stylize`'s bytes.
/// Skipped, saying why, where the machine cannot make namespaces (not root, no iproute2, no
/// CAP_NET_ADMIN), unless `ATELIER_REQUIRE_NETNS=1` (as `.ci/run` sets it) makes that a failure.
/// Every run has namespaces of its own (`prefix`), removed in tearDown; every
/// child is ended by its process id.
final class NetworkNamespaceTests: XCTestCase {
    private static let root = Fixtures.projectRoot.appendingPathComponent("Cluster/netns")
    /// Namespace names start with `atlt<pid>-`: unique to this run, and recognisable as a test's
    /// so that a killed run's leftovers can be swept.
    private static let testPrefix = "atlt"
    /// Set to 1 (CI does), a machine without namespaces fails these tests instead of skipping them.
    static let requireVariable = "ATELIER_REQUIRE_NETNS"

    struct NamespacesUnavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// What setUp throws when the machine cannot make namespaces: a skip saying why, or with
    /// `ATELIER_REQUIRE_NETNS=1` in `environment` an error, which fails the test.
    static func unavailable(
        _ reason: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Error {
        guard environment[requireVariable] == "1" else { return XCTSkip(reason) }
        return NamespacesUnavailable(description: "\(requireVariable)=1, but \(reason)")
    }
    private let prefix = "\(NetworkNamespaceTests.testPrefix)\(getpid())"
    private var children: [BackgroundAtelier] = []
    /// Whether `hosts check` passed (tearDown has namespaces to remove).
    private var available = false

    /// Runs `Cluster/netns/hosts` with this run's prefix and returns its standard output.
    @discardableResult
    private func hosts(_ arguments: [String], prefix: String? = nil) throws -> String {
        let prefix = prefix ?? self.prefix
        return try ReferenceTool.run(
            "/usr/bin/env",
            ["ATELIER_NETNS_PREFIX=\(prefix)", Self.root.appendingPathComponent("hosts").path] + arguments)
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        do {
            try hosts(["check"])
        } catch {
            throw Self.unavailable("the network namespace tests need network namespaces: \(error)")
        }
        available = true
        try sweepLeftovers()
    }

    override func tearDown() {
        for child in children { child.stop(SIGKILL) }
        children = []
        if available { XCTAssertNoThrow(try hosts(["down"])) }
        super.tearDown()
    }

    /// Removes the namespaces of earlier runs of these tests whose process is gone (killed before
    /// their tearDown), so that they do not pile up.
    private func sweepLeftovers() throws {
        let names = try ReferenceTool.run("/usr/bin/env", ["ip", "netns", "list"])
            .split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        let pattern = try NSRegularExpression(pattern: "^(\(Self.testPrefix)([0-9]+))-(h[0-9]+|switch)$")
        var stale: Set<String> = []
        for name in names {
            guard let match = pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)),
                let prefix = Range(match.range(at: 1), in: name).map({ String(name[$0]) }),
                let pid = Range(match.range(at: 2), in: name).flatMap({ Int32(name[$0]) })
            else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { stale.insert(prefix) }
        }
        for prefix in stale { try hosts(["down"], prefix: prefix) }
    }

    /// Starts `atelier arguments…` on `host`, logging to `folder/name.log`.
    private func start(on host: String, _ arguments: [String], folder: TemporaryDirectory, name: String) throws
        -> BackgroundAtelier
    {
        let child = try BackgroundAtelier(
            arguments, log: folder.path("\(name).log"),
            launcher: [
                "/usr/bin/env", "ATELIER_NETNS_PREFIX=\(prefix)", Self.root.appendingPathComponent("hosts").path,
                "exec", host,
            ])
        children.append(child)
        return child
    }

    /// Key pairs for the coordinator (`server`) and each worker host, and a `trust` folder
    /// holding the workers' public keys.
    private func keys(in folder: TemporaryDirectory, workers: [String]) throws {
        for name in ["server"] + workers {
            let run = try AtelierProcess.run(["keys", "generate", "--out", folder.path("keys/\(name)")])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        try FileManager.default.createDirectory(atPath: folder.path("keys/trust"), withIntermediateDirectories: true)
        for name in workers {
            try FileManager.default.copyItem(
                atPath: folder.path("keys/\(name)/key.pub"), toPath: folder.path("keys/trust/\(name).pub"))
        }
    }

    /// Lines of `log` that say a tile was begun.
    private func tilesBegun(_ log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains("solving level") }.count
    }

    // MARK: - A worker cut off mid-task

    /// h0 runs the coordinator, h1 and h2 one worker each (one thread). Each worker holds its
    /// first tile of the last level (`--hold-tasks`: the worker keeps heartbeating, so the
    /// coordinator sees a live worker with a lease); only once both logs say so does h1's link go
    /// down, so the cut always finds a lease to take back, and no worker is idle to take a
    /// speculative copy of it (before, h2 was left to solve the round's other tiles and could
    /// copy h1's task before the death was seen: no retry). Once the coordinator has declared h1's
    /// worker dead, h2 goes on, the link comes back and h1's hold is lifted. h2 then holds its
    /// first tile of the last round until h1's worker has said READY again and begun two tiles
    /// since the restore (so the first was returned and accepted: nobody else was free to solve
    /// it), so the job cannot end before h1 rejoins, however fast h2 is. The job completes with
    /// `stylize`'s bytes, the level counts the retry, and h1's worker completes tiles it began
    /// after the restore. No step waits on a duration: each waits for the line it needs.
    func testAWorkerCutOffMidTaskIsRequeuedRejoinsAndChangesNoByte() throws {
        let doodle = DoodleJob(iterations: [2, 16])
        let reference = try doodle.reference()
        let folder = try TemporaryDirectory()
        let job = try doodle.write(in: folder, output: "out.png")
        let hold = folder.path("hold"), otherHold = folder.path("hold-h2")
        for path in [hold, otherHold] { try "level 1 round 0".write(toFile: path, atomically: true, encoding: .utf8) }
        try keys(in: folder, workers: ["h1", "h2"])
        try hosts(["up", "3"])
        let endpoint = "tcp://\(try hosts(["addr", "h0"]).trimmingCharacters(in: .whitespacesAndNewlines)):5555"

        let coordinator = try start(
            on: "h0",
            [
                "coordinator", "--job", job, "--bind", endpoint, "--threads", "1", "--keys", folder.path("keys/server"),
                "--trust", folder.path("keys/trust"), "--summary", folder.path("summary.json"),
            ],
            folder: folder, name: "coordinator")
        XCTAssertNotNil(
            coordinator.line(containing: "listening on \(endpoint) (CurveZMQ)", timeout: 60), coordinator.log)
        var workers: [String: BackgroundAtelier] = [:]
        for host in ["h1", "h2"] {
            workers[host] = try start(
                on: host,
                [
                    "worker", "--connect", endpoint, "--threads", "1", "--keys", folder.path("keys/\(host)"),
                    "--server-key", folder.path("keys/server"),
                ] + ["--hold-tasks", host == "h1" ? hold : otherHold],
                folder: folder, name: "worker-\(host)")
        }
        let cutOff = try XCTUnwrap(workers["h1"])
        let cutOffName = "\(ProcessInfo.processInfo.hostName)-\(cutOff.pid)"

        for worker in [cutOff, try XCTUnwrap(workers["h2"])] {
            XCTAssertNotNil(worker.line(containing: "holding level 1 round 0", timeout: 90), worker.log)
        }
        try hosts(["cut", "h1"])
        XCTAssertTrue(try hosts(["status"]).contains("h1 10.77.0.2 link cut"))
        let dead = try XCTUnwrap(coordinator.line(containing: "stopped responding", timeout: 30), coordinator.log)
        XCTAssertTrue(dead.hasPrefix("coordinator: worker \(cutOffName) ["), "not h1's worker: \(dead)")
        XCTAssertTrue(dead.hasSuffix("stopped responding; its tasks go back to the queue"), dead)
        // h2 goes on with the round (h1's task among its tiles) and holds at the last round.
        try "level 1 round 1".write(toFile: otherHold, atomically: true, encoding: .utf8)
        try hosts(["restore", "h1"])
        let begunBeforeRestore = tilesBegun(cutOff.log)
        try FileManager.default.removeItem(atPath: hold)
        XCTAssertNotNil(cutOff.line(containing: "saying READY again", timeout: 120), cutOff.log)
        let deadline = Date().addingTimeInterval(120)
        while tilesBegun(cutOff.log) < begunBeforeRestore + 2, Date() < deadline,
              coordinator.exitStatus(timeout: 0) == nil {
            usleep(20_000)
        }
        XCTAssertGreaterThanOrEqual(tilesBegun(cutOff.log), begunBeforeRestore + 2, cutOff.log)
        try FileManager.default.removeItem(atPath: otherHold)

        XCTAssertEqual(coordinator.exitStatus(timeout: 120), 0, coordinator.log)
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: folder.path("out.png"))), reference,
            "the cut changed the output")
        let summary = try RunSummary(contentsOf: folder.path("summary.json"))
        // At least h1's death and its task's retry (the log line above names h1); on a loaded
        // machine a worker can also miss three heartbeats while alive, which costs a retry, not a byte.
        XCTAssertGreaterThanOrEqual(summary.json["dead_workers"] as? Int ?? 0, 1, coordinator.log)
        XCTAssertGreaterThanOrEqual(
            summary.levels.last?["retries"] as? Int ?? 0, 1,
            "h1's task in the last level was queued again: \(summary.json)\n\(coordinator.log)")
        let byWorker = summary.tilesByWorker
        XCTAssertEqual(byWorker.values.reduce(0, +), DoodleJob.tiles, "no tile lost or applied twice: \(byWorker)")
        let cutOffTiles = byWorker[cutOffName] ?? 0
        XCTAssertGreaterThanOrEqual(cutOffTiles, 1, "\(byWorker)")
        // The tile h1 held when cut went back to the queue; its late result is refused (h1 no
        // longer holds that lease, nor has it said READY on its new connection), so of the tiles
        // h1 began before the restore one is not counted: a count of `begunBeforeRestore` or more
        // means at least one tile begun after it.
        XCTAssertGreaterThanOrEqual(
            cutOffTiles, begunBeforeRestore,
            "h1's worker rejoined: it completed tiles it began after the restore (\(byWorker)):\n\(cutOff.log)")
    }

    // MARK: - Cluster/netns/run-job

    /// The launcher builds the hosts, runs the job across them, prints the coordinator's summary
    /// and removes its namespaces; its usage errors exit 2 naming the option.
    func testRunJobRunsAJobAcrossHostsAndPrintsTheSummary() throws {
        let doodle = DoodleJob()
        let reference = try doodle.reference()
        let folder = try TemporaryDirectory()
        let job = try doodle.write(in: folder, output: "out.png")
        let launcher = Self.root.appendingPathComponent("run-job").path
        let environment = ["ATELIER_NETNS_PREFIX=\(prefix)", "ATELIER=\(AtelierProcess.binary.path)"]

        let printed = try ReferenceTool.run(
            "/usr/bin/env", environment + [launcher, "--job", job, "--hosts", "3", "--run-dir", folder.path("run")])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.path("out.png"))), reference)
        let summary = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any], printed)
        XCTAssertEqual((summary["levels"] as? [[String: Any]])?.map { $0["tiles"] as? Int }, [4, 21])
        XCTAssertTrue(
            try String(contentsOfFile: folder.path("run/logs/coordinator.log"), encoding: .utf8)
                .contains("listening on tcp://10.77.0.1:5555 (CurveZMQ)"))
        XCTAssertEqual(try hosts(["status"]), "", "run-job left hosts behind")

        for (arguments, names) in [
            (["--job", job, "--hosts", "1"], "--hosts"), (["--job", job, "--cut", "h0", "--after", "1"], "--cut"),
            (["--job", job, "--cut", "h1"], "--cut needs --after"), (["--hosts", "2"], "--job"),
        ] {
            XCTAssertThrowsError(try ReferenceTool.run("/usr/bin/env", environment + [launcher] + arguments)) { error in
                XCTAssertTrue("\(error)".contains("exited 2: Cluster/netns/run-job: \(names)"), "\(error)")
            }
        }
    }
}

/// CI runs the namespace tests instead of letting them skip: `.ci/run` exports
/// `ATELIER_REQUIRE_NETNS=1` before the README's test command, and that turns the skip into a failure.
final class NetworkNamespaceRequirementTests: XCTestCase {
    func testCIRequiresNamespacesAndStillRunsTheREADMECommand() throws {
        let script = try String(
            contentsOf: Fixtures.projectRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
        let commands = script.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        XCTAssertEqual(
            commands,
            ["set -euo pipefail", "cd \"$(dirname \"$0\")/..\"", "export ATELIER_REQUIRE_NETNS=1", "exec Scripts/test"])

        XCTAssertTrue(NetworkNamespaceTests.unavailable("no ip", environment: [:]) is XCTSkip)
        XCTAssertTrue(
            NetworkNamespaceTests.unavailable("no ip", environment: ["ATELIER_REQUIRE_NETNS": "0"]) is XCTSkip)
        let required = NetworkNamespaceTests.unavailable("no ip", environment: ["ATELIER_REQUIRE_NETNS": "1"])
        XCTAssertFalse(required is XCTSkip)
        XCTAssertEqual("\(required)", "ATELIER_REQUIRE_NETNS=1, but no ip")
    }
}
