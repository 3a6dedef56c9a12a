import Foundation
import ImageIO
import TestSupport
import XCTest

/// `bench scaling` with real `atelier worker --simulate` processes at a small scale, and the
/// checks of its options and of the worker's `--simulate`.
final class ScalingBenchTests: XCTestCase {
    func testScalingBenchJSONHasTheDocumentedFieldsAndAPlot() throws {
        let plot = FileManager.default.temporaryDirectory.appendingPathComponent("scaling-\(getpid()).png").path
        defer { try? FileManager.default.removeItem(atPath: plot) }
        let outcome = try AtelierProcess.run(
            ["bench", "scaling", "--json", "--workers", "1", "2", "--simulate-seconds", "0.5",
             "--tiles-per-worker", "2", "--plot", plot, "--projection", "50x2", "16x16", "--link-gbits", "1"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
        XCTAssertEqual(object["tile_size"] as? Int, 512)
        XCTAssertEqual(object["context_size"] as? Int, 672)
        // Protocol version 3: far below the 23 MB of Float32 such a task was.
        let taskBytes = try XCTUnwrap(object["task_bytes"] as? Int)
        XCTAssertTrue(taskBytes > 1 << 20 && taskBytes < 8 << 20, "\(taskBytes)")
        let runs = try XCTUnwrap(object["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.map { $0["workers"] as? Int }, [1, 2])
        XCTAssertEqual(runs.map { $0["tiles"] as? Int }, [2, 4])
        for run in runs {
            let seconds = try XCTUnwrap(run["seconds"] as? Double)
            let ideal = try XCTUnwrap(run["ideal_seconds"] as? Double)
            XCTAssertEqual(ideal, 1.0, accuracy: 1e-9, "two sleeps of 0.5 s per worker")
            XCTAssertGreaterThanOrEqual(seconds, ideal, "a round cannot beat its sleeps")
            XCTAssertEqual(try XCTUnwrap(run["efficiency"] as? Double), ideal / seconds, accuracy: 1e-9)
            XCTAssertGreaterThan(try XCTUnwrap(run["coordinator_cpu_ms_per_tile"] as? Double), 0)
        }
        XCTAssertEqual(object["projection_side"] as? Int, 32768)
        let projections = try XCTUnwrap(object["projections"] as? [[String: Any]])
        XCTAssertEqual(projections.map { [$0["nodes"] as? Int, $0["cores"] as? Int] }, [[50, 2], [16, 16]])
        for projection in projections {
            let terms = try ["compute_hours", "link_hours", "coordinator_hours", "tail_hours"].map {
                try XCTUnwrap(projection[$0] as? Double)
            }
            let wall = try XCTUnwrap(projection["wall_hours"] as? Double)
            XCTAssertEqual(wall, terms[..<3].max()! + terms[3], accuracy: 1e-9)
        }
        // 1.07 GP at 692 core-s/MP on 100 cores: 743 000 core-s / 100 = 2.06 h of compute.
        XCTAssertEqual(try XCTUnwrap(projections[0]["compute_hours"] as? Double), 1073.741824 * 692 / 100 / 3600,
                       accuracy: 1e-6)
        let image = try ImageFile.open(plot).readAll()
        XCTAssertEqual([image.width, image.height], [480, 360])
        XCTAssertTrue(image.samples.contains { $0 < 0.5 }, "the plot has lines")
    }

    func testBadScalingOptionsAndABadSimulateAreUsageErrors() throws {
        for arguments in [["bench", "scaling", "--workers", "0"], ["bench", "scaling", "--simulate-seconds", "0"],
                          ["bench", "scaling", "--projection", "50y2"], ["bench", "scaling", "--link-gbits", "-1"],
                          ["bench", "scaling", "--tiles-per-worker", "0"],
                          ["worker", "--connect", "tcp://127.0.0.1:5555", "--simulate", "-1"]] {
            let outcome = try AtelierProcess.run(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("atelier: "), outcome.stderr)
        }
    }

    /// Stopped by SIGINT or SIGTERM mid-round, `bench scaling` kills and reaps its worker
    /// processes before it exits with 128 + the signal (before, they kept saying READY to a
    /// coordinator that was gone).
    func testAStoppedScalingBenchLeavesNoWorkerRunning() throws {
        for number in [SIGINT, SIGTERM] {
            let plot = FileManager.default.temporaryDirectory.appendingPathComponent("stopped-\(getpid()).png").path
            let bench = Process()
            bench.executableURL = AtelierProcess.binary
            bench.arguments = [
                "bench", "scaling", "--workers", "3", "--simulate-seconds", "60", "--tiles-per-worker", "1",
                "--plot", plot,
            ]
            bench.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            bench.standardError = errors
            try bench.run()
            var workers: [Int32] = []
            let deadline = Date().addingTimeInterval(60)
            while workers.count < 3 && Date() < deadline && bench.isRunning {
                usleep(100_000)
                workers = Self.children(of: bench.processIdentifier)
            }
            XCTAssertEqual(workers.count, 3, "the bench's worker processes")
            kill(bench.processIdentifier, number)
            let end = Date().addingTimeInterval(30)
            while bench.isRunning && Date() < end { usleep(50_000) }
            if bench.isRunning { kill(bench.processIdentifier, SIGKILL) }
            bench.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertEqual(bench.terminationStatus, 128 + number, stderr)
            XCTAssertTrue(stderr.contains("3 simulated workers ended"), stderr)
            for pid in workers {
                XCTAssertFalse(
                    FileManager.default.fileExists(atPath: "/proc/\(pid)"), "worker \(pid) outlived the bench")
            }
        }
    }

    /// The processes whose parent is `pid` (from /proc/PID/stat: the field after the state).
    private static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> Int32? in
            guard let child = Int32(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid ? child : nil
        }.sorted()
    }
}
