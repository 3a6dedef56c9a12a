import Foundation

/// Checks a path before a C library opens it, so "no such file" is reported as plainly as the
/// system says it rather than as a decoder's complaint.
enum FileCheck {
    /// - Throws: `.io` when `path` is missing, a directory or unreadable; `.decode` when it is empty.
    static func requireReadable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageIOError.io(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw ImageIOError.io(path: path, reason: "is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImageIOError.io(path: path, reason: "permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { throw ImageIOError.decode(path: path, reason: "empty file (0 bytes)") }
    }

    /// The first `count` bytes of the file (fewer when it is shorter).
    static func leadingBytes(_ path: String, count: Int) throws -> [UInt8] {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw ImageIOError.io(path: path, reason: "cannot open for reading")
        }
        defer { try? file.close() }
        return [UInt8]((try? file.read(upToCount: count)) ?? Data())
    }
}
