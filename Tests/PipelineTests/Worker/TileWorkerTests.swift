import Foundation
import ImageIO
import Messaging
import Tensor
import XCTest

@testable import Pipeline

/// The worker against a fake coordinator: a TASK whose tensor header overflows (before, it
/// trapped the worker) is dropped with one line, and the worker goes on to solve the next task.
final class TileWorkerTests: XCTestCase {
    func testATaskWhoseTensorSizeOverflowsIsDroppedAndTheWorkerCarriesOn() throws {
        let context = try MessagingContext()
        let coordinator = try context.socket(.router)
        try coordinator.bind("tcp://127.0.0.1:*")
        let socket = try context.socket(.dealer)
        try socket.connect(try XCTUnwrap(try coordinator.lastEndpoint))
        let log = Shared<[String]>([])
        let worker = TileWorker(
            socket: socket, solver: PassThroughTileComputation(), name: "w", heartbeatInterval: 0.1, liveness: 50
        ) { line in log.value.append(line) }
        let stop = Shared(false)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            defer { finished.signal() }
            do { try worker.run(stop: { stop.value }) } catch { log.value.append("failed: \(error)") }
        }.start()

        /// The next message of `kind` from the worker (heartbeats skipped), with its route.
        func next(_ kind: Message.Kind) throws -> (route: Data, message: Message)? {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                guard let frames = try coordinator.receive(timeout: .milliseconds(200)), frames.count == 2 else {
                    continue
                }
                let message = try Message.decode(Array(frames[1]))
                if message.kind == kind { return (frames[0], message) }
            }
            return nil
        }
        let route = try XCTUnwrap(try next(.ready)).route
        let key = TileResultKey(job: "local", level: 0, round: 0, tile: 0)
        let hostile = HostileFrames.taskPayload(key: key, sizes: [.max, .max, 1])
        try coordinator.send([route, Data(Frame.wrap(hostile, kind: .task))])

        let pixels = Tensor(channels: 3, height: 4, width: 4)
        let task = TaskMessage(
            key: key, styleSet: 1, context: PixelRect(width: 4, height: 4), result: PixelRect(width: 4, height: 4),
            iterations: 0, seed: 1, initial: pixels, content: pixels, contentSemantics: [])
        try coordinator.send([route, Data(Message.task(task).encoded())])
        let reply = try next(.result)
        stop.value = true
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
        try socket.close()
        try coordinator.close()
        try context.close()

        guard case .result(let record)? = reply?.message else {
            return XCTFail("no result after the bad task: \(log.value)")
        }
        XCTAssertEqual(record.key, key)
        let drops = log.value.filter { $0.contains("dropped a message from the coordinator") }
        XCTAssertEqual(drops.count, 1, "\(log.value)")
        XCTAssertTrue(drops.first?.contains("tensor") ?? false, "\(drops)")
    }
}
