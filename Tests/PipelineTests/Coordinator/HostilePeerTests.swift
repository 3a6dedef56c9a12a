import Foundation
import ImageIO
import Messaging
import Tensor
import Transfer
import XCTest

@testable import Pipeline

/// Peers that lie to the coordinator: results from a peer that never said READY, from one that
/// holds no lease of the tile, and from a lease holder whose pixels cannot be blended. Each is
/// refused with one log line naming the peer and the reason, the coordinator stays up, and the
/// job's bytes are those of a clean run.
final class HostilePeerTests: XCTestCase {
    private static let interval = 0.1
    private static let stylize = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 2])
    private static func inputs() -> MultiScaleStylizer.Inputs {
        PipelineFixtures.inputs(width: 192, height: 128, seed: 2)
    }

    /// Frames larger than this are decoded and checked off the coordinator's socket thread.
    private var inlineDecodeLimit = TileCoordinator.Settings().inlineDecodeLimit

    private func coordinatorSettings() -> TileCoordinator.Settings {
        var settings = TileCoordinator.Settings()
        settings.inlineDecodeLimit = inlineDecodeLimit
        settings.board.heartbeatInterval = Self.interval
        settings.board.maximumCopies = 1
        settings.board.maximumAttempts = 10  // a liar may be leased the tile it lied about again
        return settings
    }

    /// The job through one slow pass-through worker, after `prelude` has run against the pool; after
    /// the job `afterJob` runs, then the peers `prelude` returned are closed, then the pool.
    private func run(
        _ prelude: (InProcessWorkers) throws -> [MessageSocket] = { _ in [] }, afterJob: () -> Void = {}
    ) throws -> (image: Tensor, board: TaskBoard, log: [String]) {
        let log = Shared<[String]>([])
        let pool = try InProcessWorkers(
            count: 1, settings: coordinatorSettings(), makeSolver: { SlowTileComputation(seconds: 0.05) }
        ) { line in log.value.append(line) }
        let peers = try prelude(pool)
        let image = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.stylize)
            .run(Self.inputs(), width: 192, height: 128, executor: pool.coordinator)
        afterJob()
        for peer in peers { try peer.close() }
        try pool.shutdown()
        return (image, pool.coordinator.board, log.value)
    }

    private static func result(
        tile: Int, rect: PixelRect, channels: Int = 3, value: Float = 0.5, job: String = "local"
    ) -> [UInt8] {
        let pixels = Tensor(channels: channels, height: rect.height, width: rect.width)
        pixels.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
        let key = TileResultKey(job: job, level: 0, round: 0, tile: tile)
        return Message.result(TileResultRecord(key: key, rect: rect, pixels: pixels, lossTrace: [])).encoded()
    }

    /// The first tile of the first level (96×64, tiles of 64 with their overlap): its result
    /// rectangle, which a well-informed attacker would guess.
    private static let firstRect = PixelRect(x: 0, y: 0, width: 72, height: 72)

    /// Before: a 0- or 1-channel result from a peer that never said READY trapped the blender,
    /// NaN poisoned the next level, and finite 3-channel junk gave a wrong image with no error.
    /// Now every one is dropped with a line, and the stranger is never counted as a worker.
    func testResultsFromAPeerThatNeverSaidReadyAreRefused() throws {
        let (reference, _, _) = try run()
        let run = try run { pool in
            let stranger = try pool.peer()
            for tile in 0..<3 {
                for (channels, value) in [(0, Float(0.5)), (1, 0.5), (3, .nan), (3, 0.5), (3, 7)] {
                    let forged = Self.result(tile: tile, rect: Self.firstRect, channels: channels, value: value)
                    try stranger.send([Data(forged)])
                }
                try stranger.send([Data(Self.result(tile: tile, rect: PixelRect(x: 0, y: 0, width: 2, height: 2)))])
            }
            try stranger.send([Data(Message.heartbeat(HeartbeatMessage(sequence: 1)).encoded())])
            // Two frames where the protocol sends one.
            try stranger.send([Data(Message.heartbeat(HeartbeatMessage(sequence: 2)).encoded()), Data([1, 2, 3])])
            return [stranger]
        }
        XCTAssertEqual(run.image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        let refusals = run.log.filter { $0.contains("has not said READY") }
        XCTAssertEqual(refusals.count, 18, "one line per refused result, none for the heartbeat: \(run.log)")
        XCTAssertTrue(refusals.allSatisfy { $0.contains("dropped a result message from ") }, "\(refusals)")
        XCTAssertEqual(run.log.filter { $0.contains("a message of 2 frames") }.count, 1, "\(run.log)")
        XCTAssertEqual(run.board.counts.deadWorkers, 0, "the stranger was never a worker: \(run.log)")
        XCTAssertFalse(run.log.contains { $0.contains("stopped responding") }, "\(run.log)")
        XCTAssertEqual(run.board.counts.failures, 0, "no lease was touched")
    }

    /// A peer that said READY but holds no lease of the tile: its result is refused (before, the
    /// board accepted any known key), and its forged error reports fail nobody's task.
    func testResultsAndErrorsForATileNotLeasedToThePeerAreRefused() throws {
        let (reference, _, _) = try run()
        let run = try run { pool in
            let peer = try pool.peer()
            try peer.send([Data(Message.ready(ReadyMessage(worker: "squatter", threads: 1)).encoded())])
            // Read in the coordinator's first pass, before any task is handed out.
            for tile in 0..<2 {
                try peer.send([Data(Self.result(tile: tile, rect: Self.firstRect))])
                for _ in 0..<5 {
                    let key = TileResultKey(job: "local", level: 0, round: 0, tile: tile)
                    try peer.send([Data(Message.error(ErrorMessage(key: key, reason: "forged")).encoded())])
                }
            }
            return [peer]
        }
        XCTAssertEqual(run.image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        let refusals = run.log.filter { $0.contains("that tile is not leased to it") }
        XCTAssertEqual(refusals.count, 2, "\(run.log)")
        XCTAssertTrue(refusals.allSatisfy { $0.contains("squatter") }, "the line names the peer: \(refusals)")
        XCTAssertEqual(run.board.counts.unleased, 2)
        XCTAssertTrue(run.board.abandoned.isEmpty)
    }

    /// A lease holder's results that cannot be blended: one channel, NaN, values beyond the
    /// solver's bounds. Each is refused, its task runs again elsewhere, the bytes are unchanged.
    func testALeaseHoldersUnblendableResultsAreRefused() throws {
        try checkALeaseHoldersUnblendableResultsAreRefused()
    }

    /// The same lies, every frame decoded and checked on the coordinator's offload threads.
    func testUnblendableResultsDecodedOffTheSocketThreadAreRefused() throws {
        inlineDecodeLimit = 0
        try checkALeaseHoldersUnblendableResultsAreRefused()
        try testResultsFromAPeerThatNeverSaidReadyAreRefused()
    }

    private func checkALeaseHoldersUnblendableResultsAreRefused() throws {
        let (reference, _, _) = try run()
        let jobDone = Shared(false)
        let liarDone = DispatchSemaphore(value: 0)
        let afterJob = {
            jobDone.value = true
            XCTAssertEqual(liarDone.wait(timeout: .now() + 5), .success)
        }
        let run = try run({ pool in
            let liar = try pool.peer()
            try liar.send([Data(Message.ready(ReadyMessage(worker: "liar", threads: 1)).encoded())])
            // The liar's thread owns its socket from here, and closes it once the job is done.
            Thread {
                defer {
                    try? liar.close()
                    liarDone.signal()
                }
                var lies: [(channels: Int, value: Float)] = [(1, 0.5), (3, .nan), (3, 1.5), (3, -0.25)]
                while !jobDone.value {
                    guard let frames = try? liar.receive(timeout: .milliseconds(50)), let payload = frames.last,
                          !lies.isEmpty, case .task(let task) = try? Message.decode(Array(payload))
                    else { continue }
                    let lie = lies.removeFirst()
                    let rect = task.result.offsetBy(dx: task.context.x, dy: task.context.y)
                    let pixels = Tensor(channels: lie.channels, height: rect.height, width: rect.width)
                    pixels.withUnsafeMutableBufferPointer { $0.update(repeating: lie.value) }
                    let record = TileResultRecord(key: task.key, rect: rect, pixels: pixels, lossTrace: [])
                    try? liar.send([Data(Message.result(record).encoded())])
                }
            }.start()
            return []
        }, afterJob: afterJob)
        XCTAssertEqual(run.image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        let refusals = run.log.filter { $0.contains("liar") && $0.contains("sent a bad result") }
        XCTAssertEqual(refusals.count, 4, "\(run.log)")
        XCTAssertTrue(refusals[0].contains("1×"), refusals[0])
        XCTAssertTrue(refusals.dropFirst().allSatisfy { $0.contains("outside 0.0...1.0 or not finite") }, "\(refusals)")
        XCTAssertEqual(run.board.counts.failures, 4)
    }
}
