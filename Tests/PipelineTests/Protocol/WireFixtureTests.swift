import Foundation
import ImageIO
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

/// Frames and a stored tile result written by the encoder before the settings schema and before
/// SHA-256 and CRC-32 came from libraries (`Tests/Fixtures/wire`): today's encoder must write the
/// same bytes, and today's decoder read them back to the same messages.
final class WireFixtureTests: XCTestCase {
    static let folder = Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/wire")

    /// Settings unlike the defaults in every field the wire carries, in three different ways.
    static func settings() -> [String: TransferSettings] {
        var mrf = TransferSettings()
        mrf.mode = .mrf
        mrf.contentWeight = 2.5
        mrf.styleWeight = 0.125
        mrf.tvWeight = 17
        mrf.chromaTVWeight = 1e-3
        mrf.semanticWeight = 0
        mrf.illuminationWeight = 3.75
        mrf.styleLayers = ["relu2_1", "relu4_1"]
        mrf.shallowLayers = ["relu1_1"]
        mrf.shallowWeight = 30
        mrf.contentLayer = "relu3_2"
        mrf.coarseSize = 200
        mrf.iterations = [9, 8, 7]
        mrf.search = .exact
        mrf.pooling = .max
        mrf.styleScale = 1.5
        mrf.styleMaxSide = 999
        mrf.segments = 9
        mrf.seed = 0xFFFF_FFFF_FFFF_FFF0
        mrf.initialisation = .content
        var gatys = TransferSettings()
        gatys.mode = .gatys
        gatys.styleWeight = 0
        gatys.styleLayers = []
        gatys.shallowLayers = []
        gatys.iterations = [1]
        gatys.initialisation = .distribution
        gatys.seed = 7
        var doodle = TransferSettings()
        doodle.contentWeight = 0
        doodle.semanticWeight = 10
        doodle.iterations = [100_000, 0]
        doodle.styleScale = 0.0625
        return ["style-mrf": mrf, "style-gatys": gatys, "style-doodle": doodle]
    }

    /// The messages behind each fixture, made from seeded tensors.
    static func messages() -> [String: Message] {
        var random = SeededRandom(seed: 17)
        var messages: [String: Message] = [:]
        for (name, settings) in settings().sorted(by: { $0.key < $1.key }) {
            messages[name] = .style(StyleMessage(
                job: "job-\(name)", level: 2, styleSet: 5, settings: settings,
                style: random.tensor(Shape(channels: 3, height: 4, width: 5)),
                styleSemantics: [random.tensor(Shape(channels: 2, height: 4, width: 5))], semanticWeights: [0.5],
                segmentationGroup: 0))
        }
        let key = TileResultKey(job: "job-task", level: 1, round: 1, tile: 3)
        messages["task"] = .task(TaskMessage(
            key: key, styleSet: 5, context: PixelRect(x: 8, y: 16, width: 7, height: 6),
            result: PixelRect(x: 1, y: 1, width: 5, height: 4), iterations: 12, seed: 99,
            initial: random.tensor(Shape(channels: 3, height: 6, width: 7)),
            content: random.tensor(Shape(channels: 3, height: 6, width: 7)),
            contentSemantics: [random.tensor(Shape(channels: 2, height: 6, width: 7))]))
        return messages
    }

    static func record() -> TileResultRecord {
        var random = SeededRandom(seed: 18)
        return TileResultRecord(
            key: TileResultKey(job: "job-record", level: 3, round: 0, tile: 11),
            rect: PixelRect(x: 64, y: 32, width: 6, height: 5),
            pixels: random.tensor(Shape(channels: 3, height: 5, width: 6)), lossTrace: [4.5, 3.25, 2])
    }

    private func stored(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
    }

    func testFramesEqualTheFramesWrittenBeforeTheSchema() throws {
        for (name, message) in Self.messages() {
            let saved = try stored(name + ".frame")
            XCTAssertEqual(message.encoded(), saved, "\(name): the bytes on the wire changed")
            XCTAssertEqual(try Message.decode(saved).encoded(), saved, name)
        }
    }

    func testStoredTileResultsReadAndWriteAsBefore() throws {
        let saved = try stored("tile-result.bin")
        XCTAssertEqual(Self.record().encoded(), saved)
        let read = try TileResultRecord(decoding: saved, path: "tile-result.bin")
        XCTAssertEqual(read.pixels.array, Self.record().pixels.array)
        XCTAssertEqual(read.lossTrace, Self.record().lossTrace)
        var damaged = saved
        damaged[damaged.count - 40] ^= 1
        XCTAssertThrowsError(try TileResultRecord(decoding: damaged, path: "damaged")) { error in
            XCTAssertTrue("\(error)".contains("checksum mismatch"), "\(error)")
        }
    }
}
