import Foundation
import ImageIO

/// One file the viewer serves: the name it is reached by in URLs, its pixels by region, and the
/// identity its ETags are made from.
public struct ServedImage: Sendable {
    /// The URL name: the file's base name without its extension, cut to letters, digits, `-`,
    /// `_` and `.` (so a name can never walk out of its path segment), made unique by the server.
    public let name: String
    public let source: PyramidSource
    /// The file's device, inode, size and modification time, hashed: a file rewritten in place
    /// gets new ETags, so a browser never shows a stale tile of it.
    public let identity: String

    /// - Throws: `ImageIOError` when the file cannot be opened or examined.
    public init(path: String, name: String) throws {
        source = try PyramidSource(path: path)
        self.name = name
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw ImageIOError.io(path: path, reason: String(cString: strerror(errno)))
        }
        let fields = [
            UInt64(status.st_dev), UInt64(status.st_ino), UInt64(status.st_size),
            UInt64(status.st_mtim.tv_sec), UInt64(status.st_mtim.tv_nsec),
        ]
        identity = String(Self.fnv1a(fields), radix: 16)
    }

    /// The URL-safe name for `path`, before the server makes it unique.
    public static func baseName(of path: String) -> String {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let kept = stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" }
        let name = String(kept).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return name.isEmpty ? "image" : name
    }

    /// The strong ETag of tile (`level`, `column`, `row`) in `format`.
    func etag(level: Int, column: Int, row: Int, format: TileFormat) -> String {
        "\"\(identity)-\(level)-\(column)-\(row)-\(format.fileExtension)\""
    }

    /// 64-bit FNV-1a over the bytes of `values`: short, stable across runs (unlike `Hasher`).
    static func fnv1a(_ values: [UInt64]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in values {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash ^= (value >> UInt64(shift)) & 0xFF
                hash = hash &* 0x100_0000_01b3
            }
        }
        return hash
    }
}
