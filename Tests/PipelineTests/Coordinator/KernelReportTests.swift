import Foundation
import Messaging
import Tensor
import XCTest

@testable import Pipeline

/// Workers name their SGEMM kernel in READY; the coordinator keeps it per worker for the summary
/// and warns once, in one line, when two workers' kernels differ (the bytes of a run are the same
/// only on machines of the same CPU kind and kernel).
final class KernelReportTests: XCTestCase {
    func testTheCoordinatorWarnsOnceWhenWorkersRunDifferentKernels() throws {
        var settings = TileCoordinator.Settings()
        settings.board.heartbeatInterval = 0.1
        let lines = LogLines()
        let pool = try InProcessWorkers(
            count: 1, settings: settings, makeSolver: { PassThroughTileComputation() },
            log: { lines.append($0) })
        var peers: [MessageSocket] = []
        for (name, kernel) in [("old-node", "Prescott (avx2)"), ("other-old-node", "Prescott (avx2)"),
                               ("odd-node", "Core2")] {
            let peer = try pool.peer()
            try peer.send([Data(Message.ready(ReadyMessage(worker: name, threads: 1, kernel: kernel)).encoded())])
            peers.append(peer)
        }
        let stylize = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 2])
        _ = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: stylize)
            .run(PipelineFixtures.inputs(width: 192, height: 128, seed: 2), width: 192, height: 128,
                 executor: pool.coordinator)
        for peer in peers { try peer.close() }
        try pool.shutdown()

        let warnings = lines.all.filter { $0.contains("different BLAS kernels") }
        XCTAssertEqual(warnings.count, 1, "\(lines.all)")
        XCTAssertTrue(warnings.first?.contains("Prescott (avx2) on old-node") ?? false, "\(warnings)")
        XCTAssertEqual(pool.coordinator.kernels["old-node"], "Prescott (avx2)")
        XCTAssertEqual(pool.coordinator.kernels["odd-node"], "Core2")
        XCTAssertEqual(pool.coordinator.kernels["worker 1"], BLASKernel.current.description)
    }

    /// Workers of one kernel: no warning.
    func testNoWarningWhenEveryWorkerRunsTheSameKernel() throws {
        let lines = LogLines()
        let pool = try InProcessWorkers(
            count: 2, makeSolver: { PassThroughTileComputation() }, log: { lines.append($0) })
        let stylize = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 2])
        _ = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: stylize)
            .run(PipelineFixtures.inputs(width: 192, height: 128, seed: 2), width: 192, height: 128,
                 executor: pool.coordinator)
        try pool.shutdown()
        XCTAssertFalse(lines.all.contains { $0.contains("BLAS kernels") }, "\(lines.all)")
        XCTAssertEqual(Set(pool.coordinator.kernels.values), [BLASKernel.current.description])
    }
}

/// The coordinator's and the workers' log lines, gathered from their threads.
private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
