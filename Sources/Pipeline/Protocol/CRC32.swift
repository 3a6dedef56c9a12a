import ImageIO

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib's `crc32` and PNG): the frame
/// checksum. It detects every single-bit and every burst error up to 32 bits, which is what a
/// corrupted or foreign message looks like.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { byte in
        var value = UInt32(byte)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// The checksum of `bytes`, continuing from `crc` (the checksum of the bytes before them).
    public static func checksum<Bytes: Collection>(_ bytes: Bytes, continuing crc: UInt32 = 0) -> UInt32
    where Bytes.Element == UInt8 {
        // Arrays and their slices (every frame) go to zlib's word-at-a-time loop: a byte loop here
        // ran at a few MB/s, the largest single cost of the coordinator per task.
        let sum = bytes.withContiguousStorageIfAvailable { Zlib.crc32(UnsafeRawBufferPointer($0), continuing: crc) }
        if let sum { return sum }
        var value = ~crc
        for byte in bytes { value = table[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8) }
        return ~value
    }
}
