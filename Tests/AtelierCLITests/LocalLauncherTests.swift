import Foundation
import TestSupport
import XCTest

/// `Cluster/local/run` against a stand-in `atelier` that logs its arguments: the coordinator and
/// N workers get the contract's flags, the launcher exits with the coordinator's status, and
/// every worker it started is stopped, also when the launcher is interrupted.
final class LocalLauncherTests: XCTestCase {
    private static let stub = """
        #!/usr/bin/env bash
        case $1 in
            keys) mkdir -p "$4" && echo secret > "$4/key" && echo public > "$4/key.pub" ;;
            coordinator)
                echo "coordinator $$ ${*:2}" >> "$STUB_LOG"
                [[ -n ${STUB_HANG:-} ]] && exec sleep 60
                sleep 0.5
                exit 7 ;;
            worker)
                trap 'echo "stopped $$" >> "$STUB_LOG"; exit 0' TERM
                echo "worker $$ ${*:2}" >> "$STUB_LOG"
                while :; do sleep 0.05; done ;;
        esac
        """

    private struct Run {
        var status: Int32
        var lines: [String]
    }

    private func launch(
        in folder: TemporaryDirectory, hang: Bool, interruptAfterWorkers: Int? = nil
    ) throws -> Run {
        let stub = folder.path("atelier")
        try Self.stub.write(toFile: stub, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub)
        let job = folder.path("job.yaml")
        try "content: c.png\n".write(toFile: job, atomically: true, encoding: .utf8)
        let log = folder.path("log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = Fixtures.projectRoot.appendingPathComponent("Cluster/local/run")
        process.arguments = [
            "--job", job, "--workers", "3", "--threads", "2", "--run-dir", folder.path("run"), "--resume",
            "--port", "5599", "--atelier", stub,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["STUB_LOG"] = log
        environment["STUB_HANG"] = hang ? "1" : nil
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        func lines() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        if let count = interruptAfterWorkers {
            while lines().filter({ $0.hasPrefix("worker") }).count < count && Date() < deadline { usleep(20_000) }
            kill(process.processIdentifier, SIGINT)
        }
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Run(status: process.terminationStatus, lines: lines())
    }

    private func pids(_ run: Run, _ prefix: String) -> [Int32] {
        run.lines.filter { $0.hasPrefix(prefix + " ") }.compactMap { Int32($0.split(separator: " ")[1]) }
    }

    func testStartsCoordinatorAndWorkersWithTheContractFlagsAndStopsTheWorkers() throws {
        let folder = try TemporaryDirectory()
        let run = try launch(in: folder, hang: false)
        XCTAssertEqual(run.status, 7, "the launcher exits with the coordinator's status: \(run.lines)")
        let runDir = folder.path("run")
        let coordinator = try XCTUnwrap(run.lines.first { $0.hasPrefix("coordinator") })
        XCTAssertTrue(
            coordinator.hasSuffix(
                "--job \(folder.path("job.yaml")) --bind tcp://127.0.0.1:5599 --run-dir \(runDir) --resume"
                    + " --keys \(runDir)/keys/server --trust \(runDir)/keys/trust"), coordinator)
        let workers = run.lines.filter { $0.hasPrefix("worker") }
        XCTAssertEqual(workers.count, 3)
        for worker in workers {
            XCTAssertTrue(
                worker.hasSuffix(
                    "--connect tcp://127.0.0.1:5599 --threads 2 --keys \(runDir)/keys/worker --server-key \(runDir)/keys/server"),
                worker)
        }
        XCTAssertEqual(Set(pids(run, "stopped")), Set(pids(run, "worker")), "every worker got TERM")
        for pid in pids(run, "worker") { XCTAssertNotEqual(kill(pid, 0), 0, "worker \(pid) still runs") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(runDir)/keys/trust/worker.pub"))
    }

    func testAnInterruptStopsTheCoordinatorAndEveryWorker() throws {
        let folder = try TemporaryDirectory()
        let run = try launch(in: folder, hang: true, interruptAfterWorkers: 3)
        XCTAssertEqual(run.status, 130, "\(run.lines)")
        XCTAssertEqual(Set(pids(run, "stopped")), Set(pids(run, "worker")))
        for pid in pids(run, "worker") + pids(run, "coordinator") {
            XCTAssertNotEqual(kill(pid, 0), 0, "process \(pid) still runs")
        }
    }
}
