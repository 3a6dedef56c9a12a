import Foundation

extension PNGReader {
    /// Checks, without decoding, that the file's chunks run whole from the signature to IEND
    /// (each chunk's 8-byte header read, its data and CRC skipped): a cheap way to catch a
    /// truncated file, as `atelier info` does. CRCs and pixel data are left to the decoder.
    /// - Throws: `.decode` naming the chunk that runs past the end, or a missing IEND.
    public func verifyStorage() throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw ImageIOError.io(path: path, reason: "cannot open for reading")
        }
        defer { try? file.close() }
        let fileSize = try file.seekToEnd()
        var offset: UInt64 = 8  // after the signature
        while true {
            try file.seek(toOffset: offset)
            guard let header = try file.read(upToCount: 8), header.count == 8 else {
                throw ImageIOError.decode(path: path, reason: "no IEND chunk at offset \(offset): truncated?")
            }
            let length = header.prefix(4).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let type = String(decoding: header.suffix(4), as: UTF8.self)
            let end = offset + 12 + length  // length, type, data, CRC
            guard end <= fileSize else {
                throw ImageIOError.decode(
                    path: path,
                    reason:
                        "\(type) chunk at offset \(offset) runs past the end of the file (\(fileSize) bytes): truncated?"
                )
            }
            if type == "IEND" { return }
            offset = end
        }
    }
}
