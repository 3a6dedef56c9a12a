import Foundation
import Messaging
import XCTest

@testable import Pipeline

/// The coordinator leases tasks and heartbeats only to workers that said READY on their current
/// connection and were not declared dead since. After a partition libzmq re-establishes a
/// worker's connection by itself: if the coordinator heartbeated such a peer, the worker would
/// never notice the silence that makes it say READY again, and would sit unseen by the dispatcher
/// for the rest of the job (what the netns test found: a restored worker that never got a tile).
final class WorkerIntroductionTests: XCTestCase {
    private static let interval = 0.1

    /// The kinds of the messages `peer` receives within `seconds`, while it heartbeats (or, when
    /// `silent`, says nothing).
    private static func listen(_ peer: MessageSocket, for seconds: Double, silent: Bool = false) -> [Message.Kind] {
        var kinds: [Message.Kind] = []
        var sequence: UInt64 = 0
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if !silent {
                sequence += 1
                try? peer.send([Data(Message.heartbeat(HeartbeatMessage(sequence: sequence)).encoded())])
            }
            if let frames = try? peer.receive(timeout: .milliseconds(Int(interval * 1000))),
                let payload = frames.last,
                let kind = try? Message.decode(Array(payload)).kind
            {
                kinds.append(kind)
            }
        }
        return kinds
    }

    /// Receives until a TASK comes (at most `seconds`); returns every kind received.
    private static func untilTask(_ peer: MessageSocket, seconds: Double) -> [Message.Kind] {
        var kinds: [Message.Kind] = []
        let end = Date().addingTimeInterval(seconds)
        while Date() < end && kinds.last != .task {
            if let frames = try? peer.receive(timeout: .milliseconds(100)), let payload = frames.last,
                let kind = try? Message.decode(Array(payload)).kind
            {
                kinds.append(kind)
            }
        }
        return kinds
    }

    /// A peer heartbeats without READY: it hears nothing. It says READY: it gets the style and a
    /// task. It falls silent until declared dead, then heartbeats on the same connection: it
    /// hears nothing again until a second READY, which brings the style and a task once more. The
    /// job's output is unchanged by the two tasks the peer never returned.
    func testOnlyAWorkerThatSaidReadySinceItsLastDeathHearsFromTheCoordinator() throws {
        var settings = TileCoordinator.Settings()
        settings.board.heartbeatInterval = Self.interval
        settings.board.maximumCopies = 1
        let stylize = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 2])
        let inputs = PipelineFixtures.inputs(width: 192, height: 128, seed: 2)
        let quiet = try InProcessWorkers(count: 1, settings: settings, makeSolver: { PassThroughTileComputation() })
        let reference = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: stylize)
            .run(inputs, width: 192, height: 128, executor: quiet.coordinator)
        try quiet.shutdown()

        let pool = try InProcessWorkers(
            count: 1, settings: settings, makeSolver: { SlowTileComputation(seconds: 0.25) })
        let peer = try pool.peer()
        let heard = Shared<[[Message.Kind]]>([])
        let finished = DispatchSemaphore(value: 0)
        Thread {
            defer { finished.signal() }
            let ready = { try? peer.send([Data(Message.ready(ReadyMessage(worker: "peer", threads: 1)).encoded())]) }
            var phases: [[Message.Kind]] = [Self.listen(peer, for: 1)]
            ready()
            phases.append(Self.untilTask(peer, seconds: 5))
            _ = Self.listen(peer, for: 8 * Self.interval, silent: true)  // declared dead after 3 intervals
            phases.append(Self.listen(peer, for: 1))
            ready()
            phases.append(Self.untilTask(peer, seconds: 5))
            heard.value = phases
        }.start()
        let image = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: stylize)
            .run(inputs, width: 192, height: 128, executor: pool.coordinator)
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success)
        try peer.close()
        try pool.shutdown()

        let phases = heard.value
        XCTAssertEqual(phases.count, 4, "\(phases)")
        guard phases.count == 4 else { return }
        XCTAssertEqual(phases[0], [], "heard before READY")
        // (Heartbeats may come first when no task is pending at that moment: the end of a round.)
        XCTAssertEqual(phases[1].filter { $0 != .heartbeat }, [.style, .task], "\(phases[1])")
        XCTAssertEqual(phases[2], [], "heard after being declared dead, before READY again")
        XCTAssertEqual(
            phases[3].filter { $0 != .heartbeat }, [.style, .task],
            "one back from the dead holds no style: \(phases[3])")
        XCTAssertEqual(pool.coordinator.board.counts.retries, 2, "the peer's two tasks went back to the queue")
        XCTAssertEqual(image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
    }
}
