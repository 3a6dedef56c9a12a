internal import Crypto

/// SHA-256 (FIPS 180-4) from swift-crypto (BoringSSL's): the job hash in a run's manifest and the
/// checksum of each stored tile result. Nothing secret is hashed.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest(of bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hash = Crypto.SHA256()
        hash.update(bufferPointer: bytes)
        return Array(hash.finalize())
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal digits (as `sha256sum` prints it).
    public static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hexString(Array(bytes).withUnsafeBytes { digest(of: $0) })
    }

    /// Lowercase hexadecimal text of `digest`.
    public static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }
}
