import Foundation
import TestSupport
import XCTest

/// `Cluster/slurm/atelier.sbatch` run outside Slurm with `srun`/`scontrol` stand-ins
/// (`StandInCluster`) and a three-node allocation: the coordinator runs in the script with
/// `--resume` on a run directory named by the job id, one worker per other node connects to the
/// first node, and the time-limit signal requeues the job.
final class SlurmScriptTests: XCTestCase {
    private func environment(_ cluster: StandInCluster) -> [String: String] {
        [
            "ATELIER_JOB": cluster.folder.path("job.yaml"), "ATELIER_KEYS": cluster.folder.path("keys"),
            "ATELIER": cluster.atelier, "SLURM_JOB_ID": "42", "SLURM_JOB_NODELIST": "node[1-3]",
            "SLURM_SUBMIT_DIR": cluster.folder.url.path, "SLURM_CPUS_PER_TASK": "8",
        ]
    }

    func testCoordinatorResumesOnTheFirstNodeAndWorkersRunOnTheOthers() throws {
        let cluster = try StandInCluster()
        let run = try cluster.launch("Cluster/slurm/atelier.sbatch", [], environment: environment(cluster), workers: 2)
        XCTAssertEqual(run.status, 7, "\(run.lines)")
        let keys = cluster.folder.path("keys")
        let coordinator = try XCTUnwrap(run.lines.first { $0.hasPrefix("coordinator") })
        XCTAssertTrue(
            coordinator.hasSuffix(
                "--job \(cluster.folder.path("job.yaml")) --bind tcp://*:5555 --keys \(keys)/server"
                    + " --trust \(keys)/trust --run-dir \(cluster.folder.path("runs/atelier-42")) --resume"),
            coordinator)
        let srun = try XCTUnwrap(run.lines.first { $0.hasPrefix("srun") })
        XCTAssertTrue(srun.contains("--nodes=2 --ntasks=2 --ntasks-per-node=1 --exclude=node1"), srun)
        let workers = run.lines.filter { $0.hasPrefix("worker") }
        XCTAssertEqual(workers.count, 2)
        for worker in workers {
            XCTAssertTrue(
                worker.hasSuffix(
                    "--connect tcp://node1:5555 --threads 8 --keys \(keys)/worker --server-key \(keys)/server"), worker)
        }
        XCTAssertEqual(Set(run.pids("stopped")), Set(run.pids("worker")), "the workers are stopped at the end")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(keys)/trust/worker.pub"))
    }

    func testTheTimeLimitSignalStopsEverythingAndRequeuesTheJob() throws {
        let cluster = try StandInCluster()
        let run = try cluster.launch(
            "Cluster/slurm/atelier.sbatch", [], environment: environment(cluster), hang: true, signal: SIGUSR1,
            workers: 2)
        XCTAssertEqual(run.status, 0, "\(run.lines)")
        XCTAssertTrue(run.lines.contains("requeue 42"), "\(run.lines)")
        XCTAssertEqual(run.pids("worker").count, 2)
        XCTAssertEqual(Set(run.pids("stopped")), Set(run.pids("worker")))
        for pid in run.pids("worker") + run.pids("coordinator") {
            XCTAssertNotEqual(kill(pid, 0), 0, "process \(pid) still runs")
        }
    }
}
