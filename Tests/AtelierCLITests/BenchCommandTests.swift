import Foundation
import TestSupport
import XCTest

/// The `bench engine --json` contract: one JSON object with the documented fields. Speed itself
/// is never asserted in tests (machines are shared and noisy); the benchmark reports it.
final class BenchCommandTests: XCTestCase {
    func testEngineBenchJSONHasTheDocumentedFields() throws {
        let outcome = try AtelierProcess.run(
            ["bench", "engine", "--json", "--sizes", "32", "--pass-size", "32", "--repeats", "1", "--threads", "1",
             "--sgemm-size", "256"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
        let sgemm = try XCTUnwrap(object["sgemm_gflops"] as? Double)
        XCTAssertGreaterThan(sgemm, 0)
        XCTAssertFalse(try XCTUnwrap(object["blas_kernel"] as? String).isEmpty, "openblas_get_corename")
        let extensions = try XCTUnwrap(object["cpu_vector_extensions"] as? [String])
        XCTAssertTrue(Set(extensions).isSubset(of: ["avx2", "avx512f", "amx"]), "\(extensions)")
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["name"] as? String }, [
            "conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3",
            "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3",
        ])
        for layer in layers {
            XCTAssertEqual(layer["size"] as? Int, 32)
            for key in ["forward_gflops", "backward_gflops", "forward_ratio", "backward_ratio"] {
                let value = try XCTUnwrap(layer[key] as? Double, "\(key) missing in \(layer)")
                XCTAssertGreaterThan(value, 0, key)
            }
            // ratio = rate / sgemm_gflops; paired_ratio = rate / the SGEMM timed alternately with it.
            for pass in ["forward", "backward"] {
                let ratio = try XCTUnwrap(layer["\(pass)_ratio"] as? Double)
                let paired = try XCTUnwrap(layer["\(pass)_paired_ratio"] as? Double)
                let rate = try XCTUnwrap(layer["\(pass)_gflops"] as? Double)
                let reference = try XCTUnwrap(layer["\(pass)_sgemm_gflops"] as? Double)
                XCTAssertEqual(ratio, rate / sgemm, accuracy: 1e-9 * max(1, ratio))
                XCTAssertEqual(paired, rate / reference, accuracy: 1e-9 * max(1, paired))
            }
        }
        XCTAssertGreaterThan(try XCTUnwrap(object["vgg16_relu4_2_seconds"] as? Double), 0)
        XCTAssertGreaterThan(try XCTUnwrap(object["floor_seconds"] as? Double), 0)
    }

    func testNearestPatchBenchJSONHasTheDocumentedFields() throws {
        let examples = Fixtures.projectRoot.appendingPathComponent("Examples")
        let outcome = try AtelierProcess.run(
            ["bench", "nn", "--json", "--sizes", "48", "--repeats", "1", "--threads", "1", "--sgemm-size", "128",
             "--content", examples.appendingPathComponent("chelsea.png").path,
             "--style", examples.appendingPathComponent("starry_night.png").path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
        let sgemm = try XCTUnwrap(object["sgemm_gflops"] as? Double)
        XCTAssertGreaterThan(sgemm, 0)
        let cases = try XCTUnwrap(object["cases"] as? [[String: Any]])
        XCTAssertEqual(cases.map { $0["layer"] as? String }, ["relu3_1", "relu4_1"])
        for entry in cases {
            XCTAssertEqual(entry["size"] as? Int, 48)
            for key in ["exact_seconds", "exact_ratio", "approx_seconds", "speedup"] {
                XCTAssertGreaterThan(try XCTUnwrap(entry[key] as? Double, "\(key) missing in \(entry)"), 0, key)
            }
            for key in ["recall_within_1pct", "recall_exact"] {
                let recall = try XCTUnwrap(entry[key] as? Double, "\(key) missing in \(entry)")
                XCTAssertTrue((0...1).contains(recall), "\(key) \(recall)")
            }
            // 48² banks are small: a search from a random field screens every patch.
            XCTAssertEqual(entry["screening"] as? String, "exhaustive", "\(entry)")
            XCTAssertTrue(["sweeps", "exhaustive"].contains(entry["warm_screening"] as? String ?? ""), "\(entry)")
            // An exact match always scores within 1% of itself.
            XCTAssertGreaterThanOrEqual(entry["recall_within_1pct"] as! Double, entry["recall_exact"] as! Double)
            let ratio = try XCTUnwrap(entry["exact_ratio"] as? Double), rate = try XCTUnwrap(entry["exact_gflops"] as? Double)
            XCTAssertEqual(ratio, rate / sgemm, accuracy: 1e-9 * max(1, ratio))
            let speedup = try XCTUnwrap(entry["speedup"] as? Double)
            let exact = try XCTUnwrap(entry["exact_seconds"] as? Double), approx = try XCTUnwrap(entry["approx_seconds"] as? Double)
            XCTAssertEqual(speedup, exact / approx, accuracy: 1e-9 * max(1, speedup))
        }
    }

    func testMultiScaleBenchJSONReportsTheTimeToTheSingleLevelLossBothWays() throws {
        let examples = Fixtures.projectRoot.appendingPathComponent("Examples")
        let outcome = try AtelierProcess.run(
            ["bench", "multiscale", "--json", "--size", "72", "--single-iterations", "3", "--threads", "1", "--runs", "2",
             "--set", "coarse_size=36", "--set", "iterations=[4,3]", "--set", "mode=mrf",
             "--content", examples.appendingPathComponent("chelsea.png").path,
             "--style", examples.appendingPathComponent("Monet.png").path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let summary = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
        let runs = try XCTUnwrap(summary["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 2)
        var ratios: [Double] = []
        for object in runs {
            // chelsea is 451×300: 72×48 at the output, 36×24 below it (Monet, 512×384: 36×27).
            XCTAssertEqual(object["levels"] as? [Int], [36, 72])
            XCTAssertEqual(object["level_iterations"] as? [Int], [4, 3])
            XCTAssertEqual(object["width"] as? Int, 72)
            let single = try XCTUnwrap(object["single_seconds"] as? Double)
            let singleLoss = try XCTUnwrap(object["single_loss"] as? Double)
            let multi = try XCTUnwrap(object["multiscale_seconds"] as? Double)
            let multiLoss = try XCTUnwrap(object["multiscale_final_loss"] as? Double)
            XCTAssertGreaterThan(single, 0)
            let trace = try XCTUnwrap(object["finest_trace"] as? [[Double]])
            let singleTrace = try XCTUnwrap(object["single_trace"] as? [[Double]])
            XCTAssertEqual(trace.count, 3, "one referee loss per finest-level iteration")
            XCTAssertEqual(singleTrace.count, 3, "one referee loss per single-level iteration")
            XCTAssertEqual(singleTrace.last![1], singleLoss, accuracy: 1e-9 * singleLoss, "the last iterate is the output")
            for times in [trace.map { $0[0] }, singleTrace.map { $0[0] }] { XCTAssertEqual(times, times.sorted(), "times grow") }
            // Each way, the time to the other run's loss is the first iteration at or below it (or nan).
            if let expected = trace.first(where: { $0[1] <= singleLoss })?[0] {
                XCTAssertEqual(try XCTUnwrap(object["multiscale_seconds_to_single_loss"] as? Double), expected, accuracy: 1e-12)
                XCTAssertEqual(try XCTUnwrap(object["ratio"] as? Double), expected / single, accuracy: 1e-9)
                ratios.append(expected / single)
            } else {
                XCTAssertEqual(object["multiscale_seconds_to_single_loss"] as? String, "nan")
            }
            if let expected = singleTrace.first(where: { $0[1] <= multiLoss })?[0] {
                XCTAssertEqual(try XCTUnwrap(object["single_seconds_to_multiscale_loss"] as? Double), expected, accuracy: 1e-12)
                XCTAssertEqual(try XCTUnwrap(object["equal_loss_ratio"] as? Double), multi / expected, accuracy: 1e-9)
            } else {
                XCTAssertEqual(object["equal_loss_ratio"] as? String, "nan")
            }
        }
        // The losses are seeded: both runs agree; the spread is over the runs that reached the loss.
        XCTAssertEqual(runs[0]["single_loss"] as? Double, runs[1]["single_loss"] as? Double)
        let spread = try XCTUnwrap(summary["ratio"] as? [String: Any])
        XCTAssertEqual(spread["reached"] as? Int, ratios.count)
        if !ratios.isEmpty {
            XCTAssertEqual(try XCTUnwrap(spread["min"] as? Double), ratios.min()!, accuracy: 1e-12)
            XCTAssertEqual(try XCTUnwrap(spread["max"] as? Double), ratios.max()!, accuracy: 1e-12)
        }
    }

    /// `bench pipeline --json` at a tiny size: the no-op rounds through both transports and the
    /// three real configurations, with the documented fields and ratios.
    func testPipelineBenchJSONHasTheDocumentedFields() throws {
        let outcome = try AtelierProcess.run(
            ["bench", "pipeline", "--json", "--repeats", "2", "--noop-size", "128", "--noop-tile", "32",
             "--real-size", "64", "--real-tile", "32", "--real-iterations", "2", "--real-repeats", "1",
             "--content", Self.example("chelsea.png"), "--style", Self.example("starry_night.png")])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
        let noop = try XCTUnwrap(object["noop"] as? [String: Any])
        XCTAssertEqual(noop["tiles_per_round"] as? Int, 16, "128² cut every 32 px")
        XCTAssertGreaterThan(try XCTUnwrap(noop["task_bytes"] as? Int), 3 * 32 * 32 * 4 * 2, "two planes of pixels at least")
        let transports = try XCTUnwrap(noop["transports"] as? [[String: Any]])
        XCTAssertEqual(transports.map { $0["transport"] as? String }, ["inproc", "tcp"])
        for transport in transports {
            let seconds = try XCTUnwrap(transport["seconds"] as? [Double])
            XCTAssertEqual(seconds.count, 3)
            XCTAssertTrue(seconds[0] > 0 && seconds[0] <= seconds[1] && seconds[1] <= seconds[2], "\(seconds)")
            let rate = try XCTUnwrap(transport["tiles_per_second"] as? Double)
            XCTAssertEqual(rate, 16 / seconds[1], accuracy: 1e-9 * rate)
            let direct = try XCTUnwrap(transport["direct_seconds"] as? [Double])
            let overhead = try XCTUnwrap(transport["overhead_ms_per_tile"] as? Double)
            XCTAssertEqual(overhead, (seconds[1] - direct[1]) / 16 * 1000, accuracy: 1e-9 * max(1, abs(overhead)))
        }
        let real = try XCTUnwrap(object["real"] as? [String: Any])
        XCTAssertEqual(real["width"] as? Int, 64)
        // 64×42 at tile 32 (overlap 8): 2×2 tiles, then shifted by 16: 3×2.
        XCTAssertEqual(real["tiles"] as? Int, 4 + 6)
        let runs = try XCTUnwrap(real["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.map { [$0["workers"] as? Int, $0["threads"] as? Int] }, [[1, 1], [1, 2], [2, 1]])
        let medians = try runs.map { try XCTUnwrap($0["seconds"] as? [Double])[1] }
        XCTAssertTrue(medians.allSatisfy { $0 > 0 }, "\(medians)")
        let threads = try XCTUnwrap(real["speedup_one_worker_two_threads"] as? Double)
        let workers = try XCTUnwrap(real["speedup_two_workers_one_thread"] as? Double)
        XCTAssertEqual(threads, medians[0] / medians[1], accuracy: 1e-9 * threads)
        XCTAssertEqual(workers, medians[0] / medians[2], accuracy: 1e-9 * workers)
    }

    func testAMissingPipelineBenchImageIsABadInputFile() throws {
        let outcome = try AtelierProcess.run(["bench", "pipeline", "--content", "/nonexistent/content.png"])
        XCTAssertEqual(outcome.status, 3, outcome.stderr)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("/nonexistent/content.png"), outcome.stderr)
    }

    private static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    func testBadBenchOptionsAreUsageErrors() throws {
        for arguments in [["bench", "engine", "--threads", "0"], ["bench", "engine", "--sizes", "3"],
                          ["bench", "engine", "--lowerings", "fft"], ["bench", "nothing"],
                          ["bench", "nn", "--sizes", "8"], ["bench", "nn", "--passes", "-1"],
                          ["bench", "nn", "--screening", "brute"],
                          ["bench", "multiscale", "--size", "8"], ["bench", "multiscale", "--set", "search=fast"],
                          ["bench", "pipeline", "--noop-tile", "30"], ["bench", "pipeline", "--real-size", "8"],
                          ["bench", "pipeline", "--real-repeats", "0"]] {
            let outcome = try AtelierProcess.run(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("atelier: "), outcome.stderr)
        }
    }
}
