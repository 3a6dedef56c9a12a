import Glibc
import Synchronization

/// The one funnel for the store's system calls (STYLE.md §2, after swift-nio's `syscall`): retries
/// `EINTR` and turns a failure into `PipelineStoreError.io` carrying the path, the call's name and
/// `strerror(errno)`. The calls themselves come from `SystemCallTable.current`, which tests replace
/// to inject faults.
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

    /// The calls in use (`SystemCallTable.current`): `SystemCall.run("fsync", path: p) { SystemCall.calls.fsync(fd) }`.
    static var calls: SystemCallTable { SystemCallTable.current }

    /// The system's text for `code` (`strerror`).
    static func message(for code: Int32) -> String { String(cString: strerror(code)) }

    /// Writes all of `bytes` to `descriptor`, looping over short writes.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try run("write", path: path) {
                calls.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            offset += written
        }
    }

    /// Reads the whole file at `path` (for the small files of the store: the manifest, tile results).
    static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = try run("open", path: path) { calls.open(path, O_RDONLY | O_CLOEXEC, 0) }
        defer { _ = calls.close(descriptor) }
        var status = stat()
        try run("fstat", path: path) { fstat(descriptor, &status) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var offset = 0
        while offset < bytes.count {
            let count = try bytes.withUnsafeMutableBytes { buffer in
                try run("read", path: path) {
                    calls.read(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
            }
            if count == 0 { break }  // shrank while we read: the caller's size checks report it
            offset += count
        }
        return Array(bytes.prefix(offset))
    }
}

/// The system calls the store makes that can fail for want of disk, as a table of functions
/// (after swift-system's mocking driver): the system's by default; a test installs one whose
/// chosen call fails (ENOSPC, a short write, EIO) to check that the store ends every fault in a
/// clear error and leaves a run directory that a resumed run completes. The table is
/// process-wide (the store is used from the coordinator's and the test's threads alike).
struct SystemCallTable: Sendable {
    /// `open(2)`: a descriptor, or −1 with `errno` set.
    var open: @Sendable (_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32
    /// `read(2)`: the bytes read, 0 at the end, or −1.
    var read: @Sendable (_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int
    /// `write(2)`: the bytes written (perhaps fewer than asked), or −1.
    var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int
    /// `fsync(2)`: 0 or −1.
    var fsync: @Sendable (_ descriptor: Int32) -> Int32
    /// `close(2)`: 0 or −1.
    var close: @Sendable (_ descriptor: Int32) -> Int32
    /// `rename(2)`: 0 or −1.
    var rename: @Sendable (_ from: String, _ to: String) -> Int32
    /// `posix_fallocate(3)`: 0 or the error number (it does not set `errno`).
    var fallocate: @Sendable (_ descriptor: Int32, _ offset: off_t, _ length: off_t) -> Int32
    /// `msync(2)`: 0 or −1.
    var msync: @Sendable (_ address: UnsafeMutableRawPointer, _ length: Int, _ flags: Int32) -> Int32
    /// `pwrite(2)`: the bytes written at `offset` (perhaps fewer than asked), or −1.
    var pwrite: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ offset: off_t) -> Int
    /// `ftruncate(2)`: 0 or −1.
    var ftruncate: @Sendable (_ descriptor: Int32, _ length: off_t) -> Int32
    /// `unlink(2)`: 0 or −1.
    var unlink: @Sendable (_ path: String) -> Int32
    /// `mkdir(2)`: 0 or −1.
    var mkdir: @Sendable (_ path: String, _ mode: mode_t) -> Int32

    /// The system's calls.
    static let system = SystemCallTable(
        open: { Glibc.open($0, $1, $2) }, read: { Glibc.read($0, $1, $2) }, write: { Glibc.write($0, $1, $2) },
        fsync: { Glibc.fsync($0) }, close: { Glibc.close($0) }, rename: { Glibc.rename($0, $1) },
        fallocate: { posix_fallocate($0, $1, $2) }, msync: { Glibc.msync($0, $1, $2) },
        pwrite: { Glibc.pwrite($0, $1, $2, $3) }, ftruncate: { Glibc.ftruncate($0, $1) },
        unlink: { Glibc.unlink($0) }, mkdir: { Glibc.mkdir($0, $1) })

    private static let installed = Mutex(SystemCallTable.system)

    /// The table in use.
    static var current: SystemCallTable { installed.withLock { $0 } }

    /// Runs `body` with `table` installed, then the one installed before.
    static func with<T>(_ table: SystemCallTable, _ body: () throws -> T) rethrows -> T {
        let previous = installed.withLock { installed in
            defer { installed = table }
            return installed
        }
        defer { installed.withLock { $0 = previous } }
        return try body()
    }
}
