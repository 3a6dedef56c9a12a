import ImageIO

/// CRC-32 (IEEE 802.3, as PNG's): the frame checksum, computed by zlib's `crc32` through
/// `Zlib.crc32`. It detects every single-bit and every burst error up to 32 bits, which is what a
/// corrupted or foreign message looks like.
public enum CRC32 {
    /// The checksum of `bytes`, continuing from `crc` (the checksum of the bytes before them).
    public static func checksum<Bytes: Collection>(_ bytes: Bytes, continuing crc: UInt32 = 0) -> UInt32
    where Bytes.Element == UInt8 {
        // Arrays and their slices (every frame) are lent as they are; anything else is copied once.
        bytes.withContiguousStorageIfAvailable { Zlib.crc32(UnsafeRawBufferPointer($0), continuing: crc) }
            ?? Array(bytes).withUnsafeBytes { Zlib.crc32($0, continuing: crc) }
    }
}
