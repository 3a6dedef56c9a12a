import Tensor
import Transfer

/// Messages to and from frames: each payload is its fields in order, raw little-endian arrays with
/// small headers (see `ByteWriter`).
extension Message {
    /// The message as one frame.
    public func encoded() -> [UInt8] { encoded(version: Frame.version) }

    /// The frame with another version number (for the tests of version refusal).
    func encoded(version: UInt16) -> [UInt8] {
        var payload = ByteWriter()
        switch self {
        case .ready(let message):
            payload.append(message.worker)
            payload.append(count: message.threads)
            payload.append(message.kernel)
        case .heartbeat(let message):
            payload.append(message.sequence)
        case .style(let message):
            payload.append(message.job)
            payload.append(count: message.level)
            payload.append(message.styleSet)
            payload.append(message.settings)
            payload.append(message.style)
            payload.append(message.styleSemantics) { $0.append($1) }
            payload.append(message.semanticWeights) { $0.append($1) }
            payload.append(count: message.segmentationGroup.map { $0 + 1 } ?? 0)
            payload.append(message.share)
            payload.append(message.blend) { payload, painting in
                payload.append(painting.style)
                payload.append(painting.styleSemantics) { $0.append($1) }
                payload.append(painting.semanticWeights) { $0.append($1) }
                payload.append(count: painting.segmentationGroup.map { $0 + 1 } ?? 0)
                payload.append(painting.share)
            }
        case .task(let message):
            payload.append(message.key)
            payload.append(message.styleSet)
            payload.append(message.context)
            payload.append(message.result)
            payload.append(count: message.iterations)
            payload.append(message.seed)
            payload.append(message.initial)
            payload.append(message.content)
            payload.append(message.contentSemantics) { $0.append($1) }
            payload.append(message.blendSemantics) { payload, groups in payload.append(groups) { $0.append($1) } }
        case .result(let message):
            payload.append(message.key)
            payload.append(message.rect)
            payload.append(message.pixels)
            payload.append(message.lossTrace) { $0.append($1) }
        case .error(let message):
            payload.append(message.key != nil)
            if let key = message.key { payload.append(key) }
            payload.append(message.reason)
        }
        return Frame.wrap(payload.bytes, kind: kind, version: version)
    }

    /// The message in `bytes` (one whole frame).
    /// - Parameter limit: the largest payload accepted, in bytes.
    /// - Throws: `ProtocolError` for anything that is not a well-formed frame of this version; never traps.
    public static func decode(_ bytes: [UInt8], limit: Int = Frame.defaultLimit) throws(ProtocolError) -> Message {
        let (kind, payload) = try Frame.unwrap(bytes, limit: limit)
        var reader = WireReader(bytes, from: payload.lowerBound, decodedBudget: limit)
        let message: Message
        switch kind {
        case .ready:
            message = .ready(ReadyMessage(
                worker: try reader.readString(), threads: try reader.readSize(), kernel: try reader.readString()))
        case .heartbeat:
            message = .heartbeat(HeartbeatMessage(sequence: try reader.read(UInt64.self)))
        case .style:
            message = .style(
                StyleMessage(
                    job: try reader.readString(), level: try reader.readSize(), styleSet: try reader.read(),
                    settings: try reader.readSettings(), style: try reader.readTensor(),
                    styleSemantics: try reader.readList(elementSize: 12) { (r) throws(ProtocolError) in try r.readTensor() },
                    semanticWeights: try reader.readList(elementSize: 4) { (r) throws(ProtocolError) in try r.readFloat() },
                    segmentationGroup: try reader.readOptionalIndex(), share: try reader.readFloat(),
                    blend: try reader.readList(elementSize: 24) { (r) throws(ProtocolError) in
                        BlendedStyle(
                            style: try r.readTensor(), styleSemantics: try r.readTensors(),
                            semanticWeights: try r.readList(elementSize: 4) { (r) throws(ProtocolError) in
                                try r.readFloat()
                            },
                            segmentationGroup: try r.readOptionalIndex(), share: try r.readFloat())
                    }))
        case .task:
            message = .task(
                TaskMessage(
                    key: try reader.readKey(), styleSet: try reader.read(), context: try reader.readRect(),
                    result: try reader.readRect(), iterations: try reader.readSize(),
                    seed: try reader.read(), initial: try reader.readTensor(), content: try reader.readTensor(),
                    contentSemantics: try reader.readTensors(),
                    blendSemantics: try reader.readList(elementSize: 4) { (r) throws(ProtocolError) in
                        try r.readTensors()
                    }))
        case .result:
            let key = try reader.readKey(), rect = try reader.readRect(), pixels = try reader.readTensor()
            guard pixels.height == rect.height, pixels.width == rect.width else {
                throw .malformed("\(pixels.shape) result pixels for the rectangle \(rect)")
            }
            message = .result(TileResultRecord(
                key: key, rect: rect, pixels: pixels,
                lossTrace: try reader.readList(elementSize: 4) { (r) throws(ProtocolError) in try r.readFloat() }))
        case .error:
            let key = try reader.readBool() ? try reader.readKey() : nil
            message = .error(ErrorMessage(key: key, reason: try reader.readString()))
        }
        try reader.finish()
        return message
    }
}

extension ByteWriter {
    mutating func append(_ key: TileResultKey) {
        append(key.job)
        append(count: key.level)
        append(count: key.round)
        append(count: key.tile)
    }

    /// The transfer settings a worker's objective needs: every key of `TransferSettings.schema`,
    /// in wire order, each coded by its kind.
    mutating func append(_ settings: TransferSettings) {
        for setting in TransferSettings.schema.wireOrder {
            switch setting.value(in: settings) {
            case .number(let value): append(value)
            case .integer(let value): append(count: value)
            case .unsigned(let value): append(value)
            case .word(let value): append(value)
            case .words(let values): append(values) { $0.append($1) }
            case .integers(let values): append(values) { $0.append(count: $1) }
            case .flag(let value): append(value)
            }
        }
    }
}

extension WireReader {
    mutating func readKey() throws(ProtocolError) -> TileResultKey {
        TileResultKey(job: try readString(), level: try readSize(), round: try readSize(),
                tile: try readSize())
    }

    /// A counted list of tensors (each at least a 12-byte header).
    mutating func readTensors() throws(ProtocolError) -> [Tensor] {
        try readList(elementSize: 12) { (r) throws(ProtocolError) in try r.readTensor() }
    }

    /// An optional index, written as index + 1 with 0 for none.
    mutating func readOptionalIndex() throws(ProtocolError) -> Int? {
        let value = try readSize()
        return value == 0 ? nil : value - 1
    }

    /// The settings `ByteWriter.append(_: TransferSettings)` wrote.
    mutating func readSettings() throws(ProtocolError) -> TransferSettings {
        var settings = TransferSettings()
        for setting in TransferSettings.schema.wireOrder {
            let value: SettingValue
            switch setting.kind {
            case .number: value = .number(try readFloat())
            case .integer: value = .integer(try readSize())
            case .unsigned: value = .unsigned(try read())
            case .word: value = .word(try readString())
            case .words:
                value = .words(try readList(elementSize: 4) { (r) throws(ProtocolError) in try r.readString() })
            case .integers:
                value = .integers(try readList(elementSize: 4) { (r) throws(ProtocolError) in try r.readSize() })
            case .flag: value = .flag(try readBool())
            }
            do {
                try setting.assign(value, in: &settings)
            } catch {
                throw .malformed("setting \(error)")
            }
        }
        return settings
    }
}
