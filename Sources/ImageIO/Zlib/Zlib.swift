internal import CPNG

/// zlib, the library libpng already links: one-shot deflate (`compress2`, `uncompress`) and the
/// CRC-32 (`crc32`), the one funnel through which other modules use it (the wire protocol's
/// sample planes and frame checksums).
public enum Zlib {
    /// The zlib stream of `bytes` at level 1, or nil when zlib fails (out of memory). The
    /// coordinator compresses every task, so speed matters more than the last few per cent
    /// (measured on a task's planes: the run-length strategy, `Z_RLE`, was no faster and 19% larger).
    public static func compress(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { target in
            compress2(target.baseAddress, &capacity, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self),
                      uLong(bytes.count), 1)
        }
        guard status == Z_OK else { return nil }
        output.removeLast(output.count - Int(capacity))
        return output
    }

    /// The `count` bytes that the zlib stream `stream` holds, or nil when it is not a zlib stream
    /// or does not hold exactly `count` bytes. Never writes or allocates past `count`, whatever
    /// the stream says, so a stream that inflates to more (a "zip bomb") is refused, not followed.
    public static func decompress(_ stream: UnsafeRawBufferPointer, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var output = [UInt8](repeating: 0, count: count)
        var length = uLong(count)
        // zlib reads from a null pointer only when told it has zero bytes; give it a valid one.
        let status = output.withUnsafeMutableBufferPointer { target -> Int32 in
            var sentinel: UInt8 = 0
            return withUnsafeMutablePointer(to: &sentinel) { empty in
                uncompress(target.baseAddress ?? empty, &length,
                           stream.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(stream.count))
            }
        }
        guard status == Z_OK, length == uLong(count) else { return nil }
        return output
    }

    /// The CRC-32 (IEEE 802.3, as PNG's) of `bytes`, continuing from `crc` (that of the bytes
    /// before them; 0 to start). zlib's is table-driven over words, far faster than a byte loop.
    public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var value = uLong(crc)
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return crc }
        // zlib takes a 32-bit length; a frame is far below that, but a caller's buffer need not be.
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, Int(UInt32.max))
            value = CPNG.crc32(value, base + offset, uInt(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: value)
    }
}
