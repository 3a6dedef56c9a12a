import Glibc

/// Writes a file so that a crash at any moment leaves either the old file or the new one, whole:
/// the bytes go to a temporary file in the same directory, which is `fsync`ed, renamed over the
/// target (`rename(2)` is atomic within a file system) and then the directory is `fsync`ed so the
/// rename itself survives a power cut. Readers never see a half-written manifest or tile result.
enum AtomicFile {
    /// Replaces (or creates) the file at `path` with `bytes`.
    /// - Throws: `PipelineStoreError.io` naming the call that failed; the temporary file is removed.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = parentDirectory(of: path)
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = try SystemCall.run("open", path: temporary) {
            SystemCall.calls.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        do {
            try bytes.withUnsafeBytes { try SystemCall.writeAll(descriptor, $0, path: temporary) }
            try SystemCall.run("fsync", path: temporary) { SystemCall.calls.fsync(descriptor) }
            try SystemCall.run("close", path: temporary) { SystemCall.calls.close(descriptor) }
        } catch {
            _ = close(descriptor)
            _ = unlink(temporary)
            throw error
        }
        do {
            try SystemCall.run("rename", path: path) { SystemCall.calls.rename(temporary, path) }
        } catch {
            _ = unlink(temporary)
            throw error
        }
        try syncDirectory(directory)
    }

    /// `fsync`s a directory, making the creation, renaming or removal of its entries durable.
    static func syncDirectory(_ directory: String) throws {
        let descriptor = try SystemCall.run("open", path: directory) {
            SystemCall.calls.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
        }
        defer { _ = close(descriptor) }
        try SystemCall.run("fsync", path: directory) { SystemCall.calls.fsync(descriptor) }
    }

    /// The directory part of `path` (`.` for a bare name).
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether `name` is a temporary file left by an interrupted `write` (removed when a run resumes).
    static func isTemporary(_ name: String) -> Bool { name.contains(".tmp-") }
}
