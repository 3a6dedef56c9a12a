/// Little-endian encoding of the store's binary headers (canvas files, tile results).
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func append<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(raw: some Collection<UInt8>) { bytes.append(contentsOf: raw) }

    /// Appends Floats as their IEEE bit patterns (the host is little-endian: see `CanvasFile`).
    mutating func append(floats: UnsafeBufferPointer<Float>) { bytes.append(contentsOf: UnsafeRawBufferPointer(floats)) }

    /// Pads with zeros up to `count` bytes in all.
    mutating func pad(to count: Int) { bytes += [UInt8](repeating: 0, count: max(0, count - bytes.count)) }
}

/// Reads little-endian fields from a byte array; every read past the end is a `.corrupt` error
/// naming the file, never a trap.
struct ByteReader {
    let bytes: [UInt8]
    let path: String
    private(set) var offset = 0

    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - offset }

    mutating func read<Value: FixedWidthInteger>(_: Value.Type, _ what: String) throws -> Value {
        let raw = try take(MemoryLayout<Value>.size, what)
        return raw.withUnsafeBytes { Value(littleEndian: $0.loadUnaligned(as: Value.self)) }
    }

    /// Reads and checks the magic and the format version that start every file of the store.
    /// - Throws: `.corrupt` for another magic, `.unsupported` for another version, naming `kind`.
    mutating func readSignature(magic: [UInt8], version: UInt32, kind: String) throws {
        guard Array(try take(magic.count, "magic")) == magic else {
            throw PipelineStoreError.corrupt(path: path, reason: "not an Atelier \(kind) file (bad magic)")
        }
        let found = try read(UInt32.self, "version")
        guard found == version else {
            throw PipelineStoreError.unsupported(
                path: path, reason: "\(kind) format version \(found) (this build reads version \(version))")
        }
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw PipelineStoreError.corrupt(
                path: path, reason: "truncated at \(what) (\(bytes.count) bytes, needs \(offset)+\(count))")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Moves to byte `position` (inside the array).
    mutating func seek(to position: Int) { offset = min(position, bytes.count) }
}
