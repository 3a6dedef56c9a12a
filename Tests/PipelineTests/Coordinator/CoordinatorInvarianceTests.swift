import Foundation
import ImageIO
import Messaging
import Synchronization
import Tensor
import Transfer
import XCTest

@testable import Pipeline

/// The central invariant (DESIGN.md §3): the same job gives the same bytes whether one process
/// solves its tiles in order, or a coordinator hands them to several workers over ZeroMQ, some of
/// which die mid-task or send garbage.
final class CoordinatorInvarianceTests: XCTestCase {
    private static let settings = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 2])
    private static func inputs() -> MultiScaleStylizer.Inputs { PipelineFixtures.inputs(width: 192, height: 128, seed: 2) }
    private static let interval = 0.2

    private func sequential() throws -> Tensor {
        try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.settings).run(Self.inputs(), width: 192, height: 128)
    }

    /// Runs the job through a coordinator on inproc:// with `workers` real workers (each with its
    /// own network and solver, on its own thread), after `prelude` has run against the endpoint.
    private func distributed(
        workers: Int, copies: Int = 2, prelude: (_ peer: () throws -> MessageSocket) throws -> Void = { _ in }
    ) throws -> (image: Tensor, board: TaskBoard, log: [String]) {
        var settings = TileCoordinator.Settings()
        settings.board.heartbeatInterval = Self.interval
        settings.board.maximumCopies = copies
        let log = Shared<[String]>([])
        let pool = try InProcessWorkers(count: workers, settings: settings, makeSolver: { TileSolver(vgg: PipelineFixtures.vgg()) }) {
            line in log.value.append(line)
        }
        try prelude(pool.peer)
        let image = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.settings)
            .run(Self.inputs(), width: 192, height: 128, executor: pool.coordinator)
        try pool.shutdown()
        return (image, pool.coordinator.board, log.value)
    }

    func testTwoWorkersGiveTheSequentialBytes() throws {
        let reference = try sequential()
        let run = try distributed(workers: 2)
        XCTAssertEqual(run.image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        XCTAssertEqual(run.board.counts.retries, 0)
        XCTAssertGreaterThanOrEqual(run.board.counts.leases, 2 + 2 + 6 + 12)
    }

    /// A worker that takes a task and dies, and a peer that sends garbage and another protocol
    /// version, change nothing in the output: the task goes back to the queue (speculation is off,
    /// so that it must), the messages are dropped, and the foreign version is told why.
    func testADyingWorkerAndForeignMessagesChangeNothing() throws {
        let reference = try sequential()
        let refusal = Shared<String?>(nil)
        let run = try distributed(workers: 1, copies: 1) { peer in
            // A peer speaking another version gets an ERROR naming both versions.
            let stranger = try peer()
            try stranger.send([Data("GET / HTTP/1.1\r\n\r\n".utf8)])
            try stranger.send([Data(Message.heartbeat(HeartbeatMessage(sequence: 1)).encoded(version: 9))])
            // A worker that says READY, takes its first task and vanishes without a word.
            let doomed = try peer()
            try doomed.send([Data(Message.ready(ReadyMessage(worker: "doomed", threads: 1)).encoded())])
            Thread {
                defer { try? doomed.close(); try? stranger.close() }
                while let frames = try? doomed.receive(timeout: .seconds(30)), let payload = frames.last {
                    if case .task = try? Message.decode(Array(payload)) { break }
                }
                if let reply = try? stranger.receive(timeout: .seconds(30)), case .error(let report) = try? Message.decode(Array(reply[0])) {
                    refusal.value = report.reason
                }
            }.start()
        }
        XCTAssertEqual(run.image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        XCTAssertGreaterThanOrEqual(run.board.counts.deadWorkers, 1)
        XCTAssertEqual(run.board.counts.retries, 1)
        XCTAssertEqual(run.board.counts.speculativeLeases, 0)
        XCTAssertTrue(run.log.contains { $0.contains("bad magic") }, "\(run.log)")
        XCTAssertEqual(refusal.value, "protocol version 9 received, this program speaks version \(Frame.version)")
    }
}


extension CoordinatorInvarianceTests {
    /// A worker whose result does not fit its tile has its task counted as failed and run again
    /// elsewhere; the output is unchanged.
    func testAResultThatDoesNotFitItsTileIsRefused() throws {
        let reference = try sequential()
        let run = try distributed(workers: 1, copies: 1) { peer in
            let liar = try peer()
            try liar.send([Data(Message.ready(ReadyMessage(worker: "liar", threads: 1)).encoded())])
            Thread {
                defer { try? liar.close() }
                while let frames = try? liar.receive(timeout: .seconds(30)), let payload = frames.last {
                    guard case .task(let task) = try? Message.decode(Array(payload)) else { continue }
                    let wrong = TileResultRecord(
                        key: task.key, rect: PixelRect(x: 0, y: 0, width: 1, height: 1),
                        pixels: Tensor(channels: 3, height: 1, width: 1), lossTrace: [])
                    try? liar.send([Data(Message.result(wrong).encoded())])
                    break
                }
            }.start()
        }
        XCTAssertEqual(run.image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        XCTAssertEqual(run.board.counts.failures, 1)
        XCTAssertTrue(run.log.contains { $0.contains("sent a bad result") }, "\(run.log)")
    }

    /// A worker that hears nothing from its coordinator for `liveness` intervals says READY again,
    /// so that a restarted coordinator on the same endpoint finds it.
    func testAWorkerGreetsARestartedCoordinator() throws {
        let context = try MessagingContext()
        let first = try context.socket(.router)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try XCTUnwrap(try first.lastEndpoint)
        let socket = try context.socket(.dealer)
        try socket.connect(endpoint)
        let worker = TileWorker(socket: socket, solver: TileSolver(vgg: PipelineFixtures.vgg()), name: "patient",
                                heartbeatInterval: 0.1, liveness: 3)
        let stop = Shared(false)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            defer { finished.signal() }
            do { try worker.run(stop: { stop.value }) } catch { XCTFail("\(error)") }
        }.start()
        func kinds(_ frames: [Data]?) -> Message.Kind? { frames.flatMap { try? Message.decode(Array($0[1])).kind } }
        XCTAssertEqual(kinds(try first.receive(timeout: .seconds(5))), .ready)
        try first.close()
        let second = try context.socket(.router)
        // zmq_close releases the port in libzmq's I/O thread, a moment later.
        var bound = false
        for _ in 0..<100 where !bound {
            bound = (try? second.bind(endpoint)) != nil
            if !bound { Thread.sleep(forTimeInterval: 0.05) }
        }
        XCTAssertTrue(bound, "\(endpoint) not free again")
        var greeting: Message.Kind?
        let deadline = Date().addingTimeInterval(10)
        while greeting != .ready && Date() < deadline { greeting = kinds(try second.receive(timeout: .seconds(1))) }
        XCTAssertEqual(greeting, .ready)
        stop.value = true
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
        try socket.close()
        try second.close()
        try context.close()
    }
}

/// A value shared between a test and the threads it starts, behind a lock.
final class Shared<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
