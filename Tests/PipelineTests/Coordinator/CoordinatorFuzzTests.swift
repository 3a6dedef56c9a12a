import Foundation
import ImageIO
import Messaging
import Tensor
import Transfer
import TestSupport
import XCTest

@testable import Pipeline

/// A bounded fuzz of the coordinator over its TCP socket: peers that never said READY and peers
/// that did send random bytes and mutations of valid messages (bit flips, truncations, payloads
/// changed under a valid checksum, absurd counts, other versions, extra frames), then a real
/// worker finishes the job: the coordinator is still up and the output has the clean run's bytes.
///
/// What a peer that said READY may do is bounded by what the coordinator can check: a worker
/// admitted by its key and holding a lease could return well-formed pixels in range that are
/// simply wrong, which no check can tell from a real result. So the registered peers' results
/// and errors name another job (`ZZZZZ`, several bits from `local` in every byte, so that no
/// mutation here turns it into the real one); the strangers' name the real job's tiles.
final class CoordinatorFuzzTests: XCTestCase {
    private static let stylize = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 2])
    private static func inputs() -> MultiScaleStylizer.Inputs {
        PipelineFixtures.inputs(width: 192, height: 128, seed: 2)
    }
    private static let messagesPerPeer = 500
    private static let strangers = 4
    private static let registered = 2

    /// Valid messages to mutate: every kind, with keys of `job`.
    private static func templates(job: String, random: inout SeededRandom, includeReady: Bool) -> [[UInt8]] {
        let key = TileResultKey(job: job, level: 0, round: 0, tile: Int.random(in: 0..<4, using: &random))
        let rect = PixelRect(x: 0, y: 0, width: 6, height: 5)
        var messages: [Message] = [
            .heartbeat(HeartbeatMessage(sequence: random.next())),
            .result(TileResultRecord(
                key: key, rect: rect, pixels: random.tensor(Shape(channels: 3, height: 5, width: 6), in: 0...1),
                lossTrace: [1, 2])),
            .error(ErrorMessage(key: key, reason: "fuzz")),
            .task(TaskMessage(
                key: key, styleSet: 1, context: rect, result: rect, iterations: 1, seed: 1,
                initial: random.tensor(Shape(channels: 3, height: 5, width: 6)),
                content: random.tensor(Shape(channels: 3, height: 5, width: 6)), contentSemantics: [])),
        ]
        if includeReady { messages.append(.ready(ReadyMessage(worker: "fuzz", threads: 1))) }
        return messages.map { $0.encoded() }
    }

    /// One hostile message (one or more frames).
    private static func mutation(of templates: [[UInt8]], random: inout SeededRandom) -> [Data] {
        let template = templates.randomElement(using: &random)!
        let payload = Array(template[Frame.headerSize...])
        let kind = Message.Kind(rawValue: template[6])!
        var bytes: [UInt8]
        switch Int.random(in: 0..<8, using: &random) {
        case 0:  // random bytes, sometimes behind the magic and version
            bytes = (0..<Int.random(in: 0..<200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if Bool.random(using: &random) { bytes = Frame.magic + [1, 0] + bytes }
        case 1:  // bit flips, checksum left as it was
            bytes = template
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let bit = Int.random(in: 0..<bytes.count * 8, using: &random)
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            }
        case 2:  // truncated
            bytes = Array(template.prefix(Int.random(in: 0..<template.count, using: &random)))
        case 3:  // payload bits flipped under a valid checksum
            var changed = payload
            for _ in 0..<Int.random(in: 1...3, using: &random) where !changed.isEmpty {
                let bit = Int.random(in: 0..<changed.count * 8, using: &random)
                changed[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            bytes = Frame.wrap(changed, kind: kind)
        case 4:  // payload cut or extended under a valid checksum
            let cut = Array(payload.prefix(Int.random(in: 0...payload.count, using: &random)))
            bytes = Frame.wrap(Bool.random(using: &random) ? cut : payload + [0, 1, 2, 3], kind: kind)
        case 5:  // a huge count or size written over any 4 aligned bytes, under a valid checksum
            var changed = payload
            let huge: [UInt32] = [.max, 0x7FFF_FFFF, 1 << 24 + 1, 0x1000_0000]
            let at = Int.random(in: 0..<max(1, changed.count / 4), using: &random) * 4
            if at + 4 <= changed.count {
                withUnsafeBytes(of: huge.randomElement(using: &random)!.littleEndian) {
                    changed.replaceSubrange(at..<at + 4, with: $0)
                }
            }
            bytes = Frame.wrap(changed, kind: kind)
        case 6:  // another protocol version
            bytes = Frame.wrap(payload, kind: kind, version: UInt16.random(in: 2...UInt16.max, using: &random))
        default:  // several frames
            return (0..<Int.random(in: 2...4, using: &random)).map { _ in Data(template) }
        }
        return [Data(bytes)]
    }

    /// Results for the real job's tiles from peers that never said READY: every shape the
    /// coordinator could be fooled by.
    private static func forgedResult(random: inout SeededRandom) -> [Data] {
        let tile = Int.random(in: 0..<4, using: &random)
        let side = [72, 64, 2, 0].randomElement(using: &random)!
        let channels = [0, 1, 3, 3, 4].randomElement(using: &random)!
        let value = [Float(0.5), .nan, .infinity, 2, -1].randomElement(using: &random)!
        let pixels = Tensor(channels: channels, height: side, width: side)
        pixels.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
        let record = TileResultRecord(
            key: TileResultKey(job: "local", level: 0, round: 0, tile: tile),
            rect: PixelRect(x: 0, y: 0, width: side, height: side), pixels: pixels, lossTrace: [])
        return [Data(Message.result(record).encoded())]
    }

    func testTheCoordinatorOutlivesAFuzzOfItsSocketAndTheJobKeepsItsBytes() throws {
        let reference = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.stylize)
            .run(Self.inputs(), width: 192, height: 128)
        var settings = TileCoordinator.Settings()
        settings.board.heartbeatInterval = 0.2
        settings.board.maximumCopies = 1
        // A registered peer's mutated error report may name a tile it holds; the policy that
        // abandons a task after a few such failures is not what this test is about.
        settings.board.maximumAttempts = 1000
        let log = Shared<[String]>([])
        let pool = try InProcessWorkers(
            count: 1, settings: settings, bind: "tcp://127.0.0.1:*",
            makeSolver: { TileSolver(vgg: PipelineFixtures.vgg()) }
        ) { line in log.value.append(line) }

        var random = SeededRandom(seed: 15)
        var peers: [MessageSocket] = []
        var sent = 0
        let start = Date()
        for index in 0..<(Self.strangers + Self.registered) {
            let peer = try pool.peer()
            peers.append(peer)
            let stranger = index < Self.strangers
            if !stranger {
                try peer.send([Data(Message.ready(ReadyMessage(worker: "fuzz-\(index)", threads: 1)).encoded())])
                sent += 1
            }
            // A stranger never sends a READY, not even a mutated one: it would become a worker
            // whose forged results for tiles it then holds could not be told from real ones.
            let templates = Self.templates(job: stranger ? "local" : "ZZZZZ", random: &random, includeReady: !stranger)
            for _ in 0..<Self.messagesPerPeer {
                let frames = stranger && Int.random(in: 0..<4, using: &random) == 0
                    ? Self.forgedResult(random: &random) : Self.mutation(of: templates, random: &random)
                try peer.send(frames)
                sent += 1
            }
        }
        let image = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.stylize)
            .run(Self.inputs(), width: 192, height: 128, executor: pool.coordinator)
        let seconds = Date().timeIntervalSince(start)
        for peer in peers { try peer.close() }
        try pool.shutdown()

        print("fuzz: \(sent) messages from \(peers.count) peers in \(String(format: "%.1f", seconds)) s, "
              + "\(log.value.count) log lines, crashes 0")
        XCTAssertEqual(image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        XCTAssertLessThan(seconds, 60)
        let lines = log.value
        XCTAssertGreaterThan(lines.filter { $0.contains("dropped a message") }.count, sent / 4, "few drops logged")
        XCTAssertTrue(lines.contains { $0.contains("has not said READY") }, "no forged result refused")
        XCTAssertTrue(lines.contains { $0.contains("frames from") }, "no multi-frame message logged")
        XCTAssertEqual(pool.coordinator.tilesDone.keys.sorted(), ["worker 1"], "only the real worker's results count")
    }
}
