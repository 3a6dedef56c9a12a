import Foundation
import TestSupport
import XCTest

/// `Cluster/local/run` against stand-ins (`StandInCluster`): the coordinator and N workers get the
/// contract's flags, the launcher exits with the coordinator's status, and every process it
/// started is stopped, also when the launcher is interrupted.
final class LocalLauncherTests: XCTestCase {
    private func arguments(_ cluster: StandInCluster) throws -> [String] {
        let job = cluster.folder.path("job.yaml")
        try "content: c.png\n".write(toFile: job, atomically: true, encoding: .utf8)
        return [
            "--job", job, "--workers", "3", "--threads", "2", "--run-dir", cluster.folder.path("run"), "--resume",
            "--port", "5599", "--atelier", cluster.atelier,
        ]
    }

    func testStartsCoordinatorAndWorkersWithTheContractFlagsAndStopsTheWorkers() throws {
        let cluster = try StandInCluster()
        let run = try cluster.launch("Cluster/local/run", try arguments(cluster), workers: 3)
        XCTAssertEqual(run.status, 7, "the launcher exits with the coordinator's status: \(run.lines)")
        let runDir = cluster.folder.path("run")
        let coordinator = try XCTUnwrap(run.lines.first { $0.hasPrefix("coordinator") })
        XCTAssertTrue(
            coordinator.hasSuffix(
                "--job \(cluster.folder.path("job.yaml")) --bind tcp://127.0.0.1:5599 --run-dir \(runDir) --resume"
                    + " --keys \(runDir)/keys/server --trust \(runDir)/keys/trust"), coordinator)
        let workers = run.lines.filter { $0.hasPrefix("worker") }
        XCTAssertEqual(workers.count, 3)
        for worker in workers {
            XCTAssertTrue(
                worker.hasSuffix(
                    "--connect tcp://127.0.0.1:5599 --threads 2 --keys \(runDir)/keys/worker --server-key \(runDir)/keys/server"),
                worker)
        }
        XCTAssertEqual(Set(run.pids("stopped")), Set(run.pids("worker")), "every worker got TERM")
        for pid in run.pids("worker") { XCTAssertNotEqual(kill(pid, 0), 0, "worker \(pid) still runs") }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(runDir)/keys/trust/worker.pub"))
    }

    func testAnInterruptStopsTheCoordinatorAndEveryWorker() throws {
        let cluster = try StandInCluster()
        let run = try cluster.launch("Cluster/local/run", try arguments(cluster), hang: true, signal: SIGINT, workers: 3)
        XCTAssertEqual(run.status, 130, "\(run.lines)")
        XCTAssertEqual(run.pids("worker").count, 3)
        XCTAssertEqual(Set(run.pids("stopped")), Set(run.pids("worker")))
        for pid in run.pids("worker") + run.pids("coordinator") {
            XCTAssertNotEqual(kill(pid, 0), 0, "process \(pid) still runs")
        }
    }

    /// `--batch` goes to the coordinator in the place of `--job`; the run directory defaults to
    /// runs/<batch name>; both together, or a missing batch file, are usage errors.
    func testABatchGoesToTheCoordinatorInThePlaceOfTheJob() throws {
        let cluster = try StandInCluster()
        let batch = cluster.folder.path("nightly.yaml")
        try "jobs: [job.yaml]\n".write(toFile: batch, atomically: true, encoding: .utf8)
        let runDir = cluster.folder.path("run")
        let run = try cluster.launch(
            "Cluster/local/run",
            ["--batch", batch, "--workers", "1", "--run-dir", runDir, "--port", "5599", "--insecure", "--atelier",
             cluster.atelier], workers: 1)
        XCTAssertEqual(run.status, 7, "\(run.lines)")
        let coordinator = try XCTUnwrap(run.lines.first { $0.hasPrefix("coordinator") })
        XCTAssertTrue(
            coordinator.hasSuffix("--batch \(batch) --bind tcp://127.0.0.1:5599 --run-dir \(runDir) --insecure"), coordinator)
        XCTAssertEqual(try cluster.launch("Cluster/local/run", try arguments(cluster) + ["--batch", batch]).status, 2)
        XCTAssertEqual(try cluster.launch("Cluster/local/run", ["--batch", cluster.folder.path("none.yaml")]).status, 2)
    }

    func testBadArgumentsAreUsageErrors() throws {
        let cluster = try StandInCluster()
        XCTAssertEqual(try cluster.launch("Cluster/local/run", ["--workers", "2"]).status, 2)
        XCTAssertEqual(try cluster.launch("Cluster/local/run", try arguments(cluster) + ["--workers", "0"]).status, 2)
        XCTAssertEqual(try cluster.launch("Cluster/local/run", ["--job", cluster.folder.path("none.yaml")]).status, 2)
        XCTAssertEqual(try cluster.launch("Cluster/local/run", try arguments(cluster) + ["--frobnicate"]).status, 2)
    }
}
