import Glibc

/// The one funnel for the store's system calls (STYLE.md §2, after swift-nio's `syscall`): retries
/// `EINTR` and turns a failure into `PipelineStoreError.io` carrying the path, the call's name and
/// `strerror(errno)`.
enum SystemCall {
    /// Runs `body` until it does not fail with `EINTR`.
    /// - Returns: the call's non-negative result.
    /// - Throws: `.io(path:operation:reason:)` when the call returns a negative value.
    @discardableResult
    static func run<Result: BinaryInteger>(
        _ operation: String, path: String, _ body: () -> Result
    ) throws -> Result {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw PipelineStoreError.io(path: path, operation: operation, reason: message(for: code))
        }
    }

    /// The system's text for `code` (`strerror`).
    static func message(for code: Int32) -> String { String(cString: strerror(code)) }

    /// Writes all of `bytes` to `descriptor`, looping over short writes.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try run("write", path: path) {
                Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            offset += written
        }
    }

    /// Reads the whole file at `path` (for the small files of the store: the manifest, tile results).
    static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = try run("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = close(descriptor) }
        var status = stat()
        try run("fstat", path: path) { fstat(descriptor, &status) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var offset = 0
        while offset < bytes.count {
            let count = try bytes.withUnsafeMutableBytes { buffer in
                try run("read", path: path) { read(descriptor, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            if count == 0 { break }  // shrank while we read: the caller's size checks report it
            offset += count
        }
        return Array(bytes.prefix(offset))
    }
}
