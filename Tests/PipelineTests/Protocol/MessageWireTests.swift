import ImageIO
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

final class MessageWireTests: XCTestCase {
    private static func sampleMessages() -> [Message] {
        var random = SeededRandom(seed: 21)
        let key = TileResultKey(job: "0xdeadbeef00000001", level: 2, round: 1, tile: 17)
        var settings = TransferSettings()
        settings.mode = .mrf
        settings.styleLayers = ["relu2_1", "relu4_1"]
        settings.iterations = [5, 3]
        settings.seed = 99
        settings.tvWeight = 0.25
        return [
            .ready(ReadyMessage(worker: "node-7/pid 42 ✓", threads: 8, kernel: "SkylakeX (avx2, avx512f)")),
            .heartbeat(HeartbeatMessage(sequence: 1 << 40)),
            .style(StyleMessage(
                job: "3", level: 1, styleSet: 12, settings: settings, style: random.tensor(Shape(channels: 3, height: 9, width: 7)),
                styleSemantics: [random.tensor(Shape(channels: 4, height: 9, width: 7)),
                                 random.tensor(Shape(channels: 2, height: 9, width: 7))],
                semanticWeights: [1, 0.5], segmentationGroup: 0)),
            // A blend of two paintings: the second with its own DSS group, weights and share.
            .style(StyleMessage(
                job: "3", level: 1, styleSet: 13, settings: settings,
                style: random.tensor(Shape(channels: 3, height: 9, width: 7)),
                styleSemantics: [random.tensor(Shape(channels: 2, height: 9, width: 7))], semanticWeights: [0.5],
                share: 0.625,
                blend: [BlendedStyle(
                    style: random.tensor(Shape(channels: 3, height: 5, width: 8)),
                    styleSemantics: [random.tensor(Shape(channels: 2, height: 5, width: 8))], semanticWeights: [0.75],
                    segmentationGroup: 0, share: 0.375)])),
            .task(TaskMessage(
                key: key, styleSet: 13, context: PixelRect(x: 0, y: 0, width: 6, height: 5),
                result: PixelRect(x: 0, y: 0, width: 6, height: 5), iterations: 1, seed: 7,
                initial: random.tensor(Shape(channels: 3, height: 5, width: 6)),
                content: random.tensor(Shape(channels: 3, height: 5, width: 6)),
                contentSemantics: [random.tensor(Shape(channels: 2, height: 5, width: 6))],
                blendSemantics: [[random.tensor(Shape(channels: 2, height: 5, width: 6))]])),
            .task(TaskMessage(
                key: key, styleSet: 12, context: PixelRect(x: 40, y: 16, width: 13, height: 11),
                result: PixelRect(x: 2, y: 3, width: 5, height: 4), iterations: 6, seed: 0xFFFF_FFFF_FFFF_FFFF,
                initial: random.tensor(Shape(channels: 3, height: 11, width: 13)),
                content: random.tensor(Shape(channels: 3, height: 11, width: 13)),
                contentSemantics: [random.tensor(Shape(channels: 5, height: 11, width: 13))])),
            .result(TileResultRecord(key: key, rect: PixelRect(x: 42, y: 19, width: 5, height: 4),
                                  pixels: random.tensor(Shape(channels: 3, height: 4, width: 5)), lossTrace: [3.5, 2.25, .infinity])),
            .error(ErrorMessage(key: key, reason: "out of memory")),
            .error(ErrorMessage(key: nil, reason: "")),
        ]
    }

    /// A comparable rendering of a message: every field, floats as bit patterns.
    private func fields(_ message: Message) -> String {
        func bits(_ tensor: Tensor) -> String { "\(tensor.shape)\(tensor.array.map(\.bitPattern))" }
        switch message {
        case .ready(let m): return "ready \(m)"
        case .heartbeat(let m): return "heartbeat \(m)"
        case .style(let m):
            let blend = m.blend.map {
                "\(bits($0.style)) \($0.styleSemantics.map(bits)) \($0.semanticWeights) "
                    + "\(String(describing: $0.segmentationGroup)) \($0.share)"
            }
            return "style \(m.job) \(m.level) \(m.styleSet) \(m.settings) \(bits(m.style)) "
                + "\(m.styleSemantics.map(bits)) \(m.semanticWeights) \(String(describing: m.segmentationGroup)) "
                + "\(m.share) \(blend)"
        case .task(let m):
            return "task \(m.key) \(m.styleSet) \(m.context) \(m.result) \(m.iterations) \(m.seed) \(bits(m.initial)) "
                + "\(bits(m.content)) \(m.contentSemantics.map(bits)) \(m.blendSemantics.map { $0.map(bits) })"
        case .result(let m): return "result \(m.key) \(m.rect) \(bits(m.pixels)) \(m.lossTrace)"
        case .error(let m): return "error \(String(describing: m.key)) \(m.reason)"
        }
    }

    func testEveryMessageRoundTrips() throws {
        for message in Self.sampleMessages() {
            let bytes = message.encoded()
            XCTAssertEqual(Array(bytes.prefix(4)), Array("ATLR".utf8))
            let decoded = try Message.decode(bytes)
            XCTAssertEqual(decoded.kind, message.kind)
            XCTAssertEqual(fields(decoded), fields(message))
        }
        // The settings survive the wire whole.
        guard case .style(let style) = Self.sampleMessages()[2], case .style(let back) = try Message.decode(Self.sampleMessages()[2].encoded())
        else { return XCTFail("not a style message") }
        XCTAssertEqual(back.settings, style.settings)
    }

    func testCRC32MatchesTheStandardCheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
        XCTAssertEqual(CRC32.checksum(Array("6789".utf8), continuing: CRC32.checksum(Array("12345".utf8))), 0xCBF4_3926)
    }

    func testAnotherVersionIsRefusedNamingBothVersions() {
        let bytes = Message.heartbeat(HeartbeatMessage(sequence: 1)).encoded(version: 7)
        XCTAssertThrowsError(try Message.decode(bytes)) { error in
            XCTAssertEqual(error as? ProtocolError, .versionMismatch(received: 7, expected: Frame.version))
            XCTAssertEqual("\(error)", "protocol version 7 received, this program speaks version \(Frame.version)")
        }
    }

    func testEachKindOfDamageHasItsOwnError() {
        let good = Message.ready(ReadyMessage(worker: "w", threads: 2)).encoded()
        func decodeError(_ bytes: [UInt8], limit: Int = Frame.defaultLimit) -> ProtocolError? {
            do {
                _ = try Message.decode(bytes, limit: limit)
                return nil
            } catch { return error }
        }
        XCTAssertEqual(decodeError(Array("GET / HTTP/1.1\r\n\r\n".utf8)), .badMagic)
        XCTAssertEqual(decodeError(Array(good.prefix(10))), .truncated(needed: 16, available: 10))
        XCTAssertEqual(decodeError(Array(good.dropLast())), .truncated(needed: good.count, available: good.count - 1))
        XCTAssertEqual(decodeError(good, limit: 4), .oversize(length: good.count - 16, limit: 4))
        guard case .malformed = decodeError(good + [0]) else { return XCTFail("trailing bytes accepted") }
        var corrupted = good
        corrupted[corrupted.count - 1] ^= 0x10
        guard case .checksum = decodeError(corrupted) else { return XCTFail("corruption not caught") }
        // A frame of an unknown type with a valid checksum.
        var unknown = good
        unknown[6] = 99
        XCTAssertEqual(decodeError(unknown), .unknownType(99))
        // A valid frame whose payload does not parse: the checksum holds, the structure does not.
        let lying = Frame.wrap([1, 0, 0, 0], kind: .ready)
        guard case .malformed = decodeError(lying) else { return XCTFail("a short string field accepted") }
        // Counts that claim more than the bytes hold are refused before allocating.
        var huge = ByteWriter()
        huge.append(TileResultKey(job: "1", level: 0, round: 0, tile: 0))
        huge.append(PixelRect(width: 4, height: 4))
        for size in [3, Int(UInt32.max), Int(Int32.max)] { huge.append(count: size) }
        let hugeTensor = Frame.wrap(huge.bytes, kind: .result)
        guard case .malformed = decodeError(hugeTensor) else { return XCTFail("a huge tensor header accepted") }
        // Result pixels of another size than their rectangle (the store's record would trap on them).
        var mismatched = ByteWriter()
        mismatched.append(TileResultKey(job: "1", level: 0, round: 0, tile: 0))
        mismatched.append(PixelRect(width: 4, height: 4))
        mismatched.append(Tensor(channels: 3, height: 2, width: 2))
        mismatched.append(count: 0)
        guard case .malformed = decodeError(Frame.wrap(mismatched.bytes, kind: .result)) else {
            return XCTFail("a result whose pixels do not fill its rectangle accepted")
        }
    }

    /// Tensor headers whose products overflow `Int` (0xFFFFFFFF channels and rows) or whose
    /// dimensions are absurd with a zero among them are refused before anything is allocated, in
    /// a RESULT (what a peer sends the coordinator) and in a TASK (what a fake coordinator sends
    /// a worker). Before, `channels * height` trapped.
    func testTensorHeadersWhoseProductsOverflowAreMalformed() {
        let key = TileResultKey(job: "local", level: 0, round: 0, tile: 0)
        let shapes: [(UInt32, UInt32, UInt32)] = [
            (.max, .max, 1), (.max, .max, .max), (1, .max, .max), (0, .max, .max), (3, 1 << 25, 0), (.max, 0, 0),
        ]
        for (channels, height, width) in shapes {
            let sizes = [channels, height, width], values = [UInt8](repeating: 0x3F, count: 64)
            var result = ByteWriter()
            result.append(key)
            result.append(PixelRect(width: Int(width), height: Int(height)))
            for size in sizes { result.append(size) }
            result.append(raw: values)
            let task = HostileFrames.taskPayload(key: key, sizes: sizes, trailing: values)
            for (kind, payload) in [(Message.Kind.result, result.bytes), (.task, task)] {
                let frame = Frame.wrap(payload, kind: kind)
                XCTAssertThrowsError(try Message.decode(frame), "\(kind) \(channels)×\(height)×\(width)") {
                    guard case .malformed(let reason)? = $0 as? ProtocolError else { return XCTFail("\($0)") }
                    XCTAssertTrue(reason.contains("tensor"), reason)
                }
            }
        }
    }

    /// Decoding is total: truncations, every single-bit flip, random frames and random payloads in
    /// valid frames give an error or a message, never a trap.
    func testFuzzedFramesNeverTrap() {
        var random = SeededRandom(seed: 77)
        for message in Self.sampleMessages() {
            let bytes = message.encoded()
            for length in 0..<bytes.count {
                XCTAssertThrowsError(try Message.decode(Array(bytes.prefix(length))), "prefix \(length)")
            }
            for bit in 0..<(bytes.count * 8) where bytes.count < 2000 || bit % 7 == 0 {
                var flipped = bytes
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                XCTAssertThrowsError(try Message.decode(flipped), "bit \(bit) of \(message.kind)")
            }
        }
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<64, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if Bool.random(using: &random) { bytes = Array("ATLR".utf8) + [1, 0] + bytes }
            XCTAssertThrowsError(try Message.decode(bytes))
        }
        // Random payloads in frames with valid checksums: must decode or throw, never trap.
        var decoded = 0
        for _ in 0..<3000 {
            let kind = Message.Kind.allCases.randomElement(using: &random)!
            let count = Int.random(in: 0..<96, using: &random)
            var payload = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Small counts so that some payloads go deep into the structure.
            for i in stride(from: 0, to: payload.count, by: 4) where Bool.random(using: &random) { payload[i] %= 4 }
            if (try? Message.decode(Frame.wrap(payload, kind: kind))) != nil { decoded += 1 }
        }
        XCTAssertGreaterThan(decoded, 0, "some random heartbeats at least decode")
    }

    /// A worker builds its objective from the settings a STYLE message carries, so every setting
    /// must cross the wire. The encoding walks `TransferSettings.schema`, and
    /// `SettingsSchemaTests.testEveryFieldIsAKeyOfTheSchema` holds every field to a declaration:
    /// here every key, each set away from its default, comes back from the wire.
    func testEverySettingCrossesTheWire() throws {
        var settings = TransferSettings()
        for setting in TransferSettings.schema.settings {
            let value: SettingValue
            switch setting.value(in: settings) {
            case .number(let number): value = .number(number + 2.5)
            case .integer(let integer): value = .integer(integer + 77)
            case .unsigned(let unsigned): value = .unsigned(unsigned + 1234)
            case .word(let word): value = .word(setting.choices?.last { $0 != word } ?? "relu5_1")
            case .words(let words): value = .words(words.reversed() + ["relu1_2"])
            case .integers(let integers): value = .integers([9] + integers)
            case .flag(let flag): value = .flag(!flag)
            }
            try setting.assign(value, in: &settings)
            XCTAssertNotEqual(setting.value(in: settings), setting.value(in: TransferSettings()), setting.name)
        }
        let message = Message.style(StyleMessage(
            job: "j", level: 0, styleSet: 1, settings: settings, style: Tensor(Shape(channels: 3, height: 3, width: 3)),
            styleSemantics: [], semanticWeights: []))
        guard case .style(let decoded) = try Message.decode(message.encoded(), limit: 1 << 20) else {
            return XCTFail("not a STYLE message")
        }
        XCTAssertEqual(decoded.settings, settings)
    }

    /// A word that is none of a choice's values is a malformed frame naming the key.
    func testAnUnknownChoiceOnTheWireIsMalformed() throws {
        var payload = ByteWriter()
        payload.append("j")
        payload.append(count: 0)
        payload.append(UInt64(1))
        payload.append(TransferSettings())
        var bytes = payload.bytes
        // The settings start with the mode, a counted word: "dss" becomes "dsx".
        let mode = bytes.indices.first { Array(bytes[$0..<$0 + 3]) == Array("dss".utf8) }!
        bytes[mode + 2] = UInt8(ascii: "x")
        XCTAssertThrowsError(try Message.decode(Frame.wrap(bytes, kind: .style))) { error in
            XCTAssertTrue("\(error)".contains("mode: unknown value 'dsx'"), "\(error)")
        }
    }
}
