import Foundation

extension JPEGReader {
    /// Checks, without decoding, that the file's markers run whole from SOI to EOI: each
    /// segment's length is followed, and after each start of scan the entropy-coded data is
    /// skipped to the next marker. A cheap way to catch a truncated file, as `atelier info` does.
    /// - Throws: `.decode` naming the offset where the file ends too early or the structure breaks.
    public func verifyStorage() throws {
        try Self.verifyMarkers(path)
    }

    static func verifyMarkers(_ path: String) throws {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ImageIOError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        if let problem = JPEGMarkers.firstProblem(in: bytes) {
            throw ImageIOError.decode(path: path, reason: problem)
        }
    }
}

/// The marker structure of a JPEG file (ITU T.81 Annex B).
enum JPEGMarkers {
    /// What is wrong with the structure of `bytes`, or nil when it runs whole from SOI to EOI.
    static func firstProblem(in bytes: Data) -> String? {
        let count = bytes.count
        func byte(_ offset: Int) -> UInt8 { bytes[bytes.startIndex + offset] }
        guard count >= 2, byte(0) == 0xFF, byte(1) == 0xD8 else { return "no SOI marker" }
        var offset = 2
        while true {
            guard offset < count else { return "no EOI marker: the file ends at offset \(count) (truncated?)" }
            guard byte(offset) == 0xFF else { return "expected a marker at offset \(offset)" }
            while offset < count && byte(offset) == 0xFF { offset += 1 }  // fill bytes
            guard offset < count else { return "no EOI marker: the file ends at offset \(count) (truncated?)" }
            let marker = byte(offset)
            offset += 1
            if marker == 0xD9 { return nil }  // EOI
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }  // no length
            guard offset + 2 <= count else { return "the file ends inside a marker at offset \(offset) (truncated?)" }
            let length = Int(byte(offset)) << 8 | Int(byte(offset + 1))
            guard length >= 2, offset + length <= count else {
                return String(format: "segment 0xFF%02X at offset %d runs past the end of the file", marker, offset - 2)
                    + " (\(count) bytes): truncated?"
            }
            offset += length
            guard marker == 0xDA else { continue }
            // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker
            // inside it; any other marker ends it.
            while offset + 1 < count {
                let next = byte(offset + 1)
                if byte(offset) == 0xFF && next != 0 && !(0xD0...0xD7).contains(next) { break }
                offset += 1
            }
            guard offset + 1 < count else {
                return "no EOI marker: the file ends inside the image data (\(count) bytes): truncated?"
            }
        }
    }
}
