import Foundation
import ImageIO

/// The image format of served tiles: PNG (lossless, for exact views and tests) or JPEG (smaller,
/// Deep Zoom's usual choice).
public enum TileFormat: String, Sendable, CaseIterable {
    case png
    case jpeg

    /// The extension in tile URLs and in the `.dzi` descriptor.
    public var fileExtension: String { self == .png ? "png" : "jpg" }

    /// The `Content-Type` of a tile.
    public var mediaType: String { self == .png ? "image/png" : "image/jpeg" }

    /// `raster` encoded as this format by the project's own writers (`ImageWriter`). They write to
    /// a path, so each tile goes through a scratch file in memory-backed `/dev/shm` where there is
    /// one, and is read back and removed.
    /// - Throws: `ImageIOError.encode` when the writer fails, `.io` when the scratch file cannot be read.
    public func encode(_ raster: Raster, quality: Int? = nil) throws -> [UInt8] {
        let path = Self.scratchDirectory + "/atelier-tile-\(getpid())-\(UUID().uuidString).\(fileExtension)"
        defer { unlink(path) }
        try ImageWriter.write(
            raster, to: path, format: self == .png ? .png : .jpeg, options: .init(quality: quality))
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageIOError.io(path: path, reason: "the encoded tile could not be read back")
        }
        return [UInt8](data)
    }

    private static let scratchDirectory: String = {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
            access("/dev/shm", W_OK) == 0
        {
            return "/dev/shm"
        }
        let temporary = NSTemporaryDirectory()
        return temporary.hasSuffix("/") ? String(temporary.dropLast()) : temporary
    }()
}
