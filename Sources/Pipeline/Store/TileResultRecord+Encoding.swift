import ImageIO
import Tensor

/// The file format of a stored tile result, little-endian:
///
///     "ATTILERS", version (UInt32), level, round, tile, channels, loss count (UInt32 each),
///     rect x, y, width, height (Int64 each), job length (UInt32), job (UTF-8),
///     pixels (Float32, channels × height × width), loss trace (Float32), SHA-256 of all before.
///
/// The checksum catches a damaged file; `AtomicFile` already rules out a half-written one.
extension TileResultRecord {
    static let magic = Array("ATTILERS".utf8)
    static let version: UInt32 = 1
    /// Bounds on fields read from a file, so that a damaged length is an error, not an allocation.
    static let maximumSide = 1 << 16
    static let maximumChannels = 1 << 12
    static let maximumJobLength = 4096
    static let maximumLossCount = 1 << 20

    /// Why this record cannot be stored (a field beyond what the format or the reader accepts),
    /// or nil when it can.
    var storageProblem: String? {
        guard [key.level, key.round, key.tile].allSatisfy({ (0...Int(UInt32.max)).contains($0) }) else {
            return "negative or oversized key (\(key))"
        }
        guard key.job.utf8.count <= Self.maximumJobLength, (1...Self.maximumChannels).contains(pixels.channels),
            (1...Self.maximumSide).contains(rect.width), (1...Self.maximumSide).contains(rect.height),
            rect.x.magnitude <= 1 << 40, rect.y.magnitude <= 1 << 40, lossTrace.count <= Self.maximumLossCount
        else { return "a \(pixels.shape) result at \(rect) with \(lossTrace.count) losses is beyond the format's bounds" }
        return nil
    }

    /// The record's file contents.
    func encoded() -> [UInt8] {
        let job = Array(key.job.utf8)
        var writer = ByteWriter(reservingCapacity: 96 + job.count + 4 * (pixels.count + lossTrace.count))
        writer.append(raw: Self.magic)
        writer.append(Self.version)
        for field in [key.level, key.round, key.tile, pixels.channels, lossTrace.count] {
            writer.append(UInt32(field))
        }
        for field in [rect.x, rect.y, rect.width, rect.height] { writer.append(Int64(field)) }
        writer.append(UInt32(job.count))
        writer.append(raw: job)
        pixels.withUnsafeBufferPointer { writer.append(floats: $0) }
        lossTrace.withUnsafeBufferPointer { writer.append(floats: $0) }
        writer.append(raw: writer.bytes.withUnsafeBytes { SHA256.digest(of: $0) })
        return writer.bytes
    }

    /// Parses a stored result.
    /// - Throws: `.corrupt` (truncated, wrong magic, bad fields, checksum), `.unsupported` (version).
    init(decoding bytes: [UInt8], path: String) throws {
        var reader = ByteReader(bytes, path: path)
        try reader.readSignature(magic: Self.magic, version: Self.version, kind: "tile result")
        var fields: [Int] = []
        for name in ["level", "round", "tile", "channels", "loss count"] {
            fields.append(Int(try reader.read(UInt32.self, name)))
        }
        var geometry: [Int64] = []
        for name in ["x", "y", "width", "height"] { geometry.append(try reader.read(Int64.self, name)) }
        let jobLength = Int(try reader.read(UInt32.self, "job length"))
        let (channels, lossCount) = (fields[3], fields[4])
        guard (1...Self.maximumChannels).contains(channels),
            (1...Int64(Self.maximumSide)).contains(geometry[2]), (1...Int64(Self.maximumSide)).contains(geometry[3]),
            geometry[0].magnitude <= 1 << 40, geometry[1].magnitude <= 1 << 40, lossCount <= Self.maximumLossCount,
            jobLength <= Self.maximumJobLength
        else {
            throw PipelineStoreError.corrupt(path: path, reason: "impossible fields in the header")
        }
        let rect = PixelRect(x: Int(geometry[0]), y: Int(geometry[1]), width: Int(geometry[2]), height: Int(geometry[3]))
        let job = String(decoding: try reader.take(jobLength, "job"), as: UTF8.self)
        let pixelCount = channels * rect.width * rect.height
        let expected = reader.offset + 4 * (pixelCount + lossCount) + 32
        guard bytes.count == expected else {
            throw PipelineStoreError.corrupt(
                path: path,
                reason: "\(bytes.count < expected ? "truncated" : "wrong size"): \(bytes.count) bytes, expected \(expected)")
        }
        let digest = bytes.withUnsafeBytes { all in
            SHA256.digest(of: UnsafeRawBufferPointer(rebasing: all[..<(expected - 32)]))
        }
        guard digest[...] == bytes[(expected - 32)...] else {
            throw PipelineStoreError.corrupt(path: path, reason: "checksum mismatch")
        }
        let pixels = Tensor(channels: channels, height: rect.height, width: rect.width)
        let start = reader.offset
        pixels.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(target).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: source[start..<start + 4 * pixelCount]))
            }
        }
        let lossStart = start + 4 * pixelCount
        let lossTrace = (0..<lossCount).map { index in
            bytes.withUnsafeBytes { Float(bitPattern: $0.loadUnaligned(fromByteOffset: lossStart + 4 * index, as: UInt32.self)) }
        }
        self.init(
            key: TileResultKey(job: job, level: fields[0], round: fields[1], tile: fields[2]), rect: rect,
            pixels: pixels, lossTrace: lossTrace)
    }
}
