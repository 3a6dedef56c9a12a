import Foundation

/// The RIFF container of a WebP file, walked chunk by chunk (Google's "WebP Container
/// Specification"): enough to find the ICC profile and the Exif data that libwebp's simple
/// decoder skips, and to tell a truncated file from a whole one without decoding. Every length is
/// checked against the bytes.
struct WebPContainer {
    /// The payload of the ICCP chunk, when there is one.
    var iccProfile: [UInt8]?
    /// The payload of the EXIF chunk (an Exif TIFF structure), or [].
    var exif: [UInt8] = []

    /// Whether the first bytes announce a WebP ("RIFF", a size, "WEBP").
    static func isWebP(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 12 && bytes.starts(with: Array("RIFF".utf8)) && Array(bytes[8..<12]) == Array("WEBP".utf8)
    }

    /// Walks the chunks of `bytes`.
    /// - Throws: `.decode` when the RIFF size or a chunk runs past the end of the file.
    init(_ bytes: Data, path: String) throws {
        func integer(at offset: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(bytes[bytes.startIndex + offset + $1]) << (8 * $1) }  // little-endian
        }
        func fourCC(at offset: Int) -> String {
            String(decoding: bytes[(bytes.startIndex + offset)..<(bytes.startIndex + offset + 4)], as: UTF8.self)
        }
        let count = bytes.count
        guard count >= 12 else { throw ImageIOError.decode(path: path, reason: "a WebP header needs 12 bytes") }
        let riffEnd = 8 + integer(at: 4)
        guard riffEnd <= count else {
            throw ImageIOError.decode(
                path: path, reason: "the RIFF header announces \(riffEnd) bytes, the file has \(count): truncated?")
        }
        var offset = 12
        while offset + 8 <= riffEnd {
            let name = fourCC(at: offset), length = integer(at: offset + 4)
            let start = offset + 8
            guard length <= riffEnd - start else {
                throw ImageIOError.decode(
                    path: path,
                    reason: "the \(name) chunk at offset \(offset) runs past the end of the file: truncated?")
            }
            let payload = bytes[(bytes.startIndex + start)..<(bytes.startIndex + start + length)]
            if name == "ICCP" { iccProfile = Array(payload) }
            if name == "EXIF" { exif = Array(payload) }
            offset = start + length + (length & 1)  // chunks are padded to an even size
        }
    }
}
