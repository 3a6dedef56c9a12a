import Glibc
import ImageIO
import Synchronization

#if _endian(big)
    #error("canvas files are little-endian and mapped as they are: a big-endian host needs byte swapping")
#endif

/// A level's canvas (or blend accumulator) in a file of the run directory, memory-mapped with
/// `mmap(2)` so that the coordinator's memory is bounded by the rectangles it touches, not by the
/// level: the kernel pages samples in and out. The file is a `CanvasFileHeader` followed by the
/// samples, channel-major, in `precision`.
///
/// Ownership (STYLE.md §4): the mapping and descriptor are released by `close()`, which can fail;
/// call `sync()` first for durability (a checkpoint). Reads and writes of disjoint rectangles may
/// run on several threads at once, which is why the class is `@unchecked Sendable`: each touches
/// only its rectangle's bytes of the shared mapping.
///
/// Residency: pages the kernel maps in stay in the process's resident set (as shared file
/// pages) until unmapped, so a pass over a 32768² level would end up holding the whole canvas.
/// Every read and write counts the bytes it touches; past `residentBudget`, the canvas lets its
/// pages go (`releaseResidentPages`), and RSS stays near the budget whatever the order of access.
///
/// A mapped file that another process truncates would fault (`SIGBUS`) on access; the run
/// directory's lock keeps other coordinators out, and `open` checks the size against the header.
public final class CanvasFile: Canvas, @unchecked Sendable {
    public let path: String
    public let precision: CanvasPrecision
    public let channels: Int
    public let width: Int
    public let height: Int
    public let isWritable: Bool

    private var descriptor: Int32
    private var mapping: UnsafeMutableRawPointer?
    private let mappedLength: Int
    /// Bytes read or written since the pages were last released (an estimate: whole rows of
    /// pages per run).
    private let touchedBytes = Atomic<Int>(0)

    /// How many bytes of its mapping a canvas touches before it releases its resident pages:
    /// 64 MiB is a few rows of 512² tiles at any width (a 32768-pixel row band of 512 is 200
    /// MB in Float32), and `madvise` over a mapping costs microseconds, so the release is cheap
    /// at this rate (measured: `Scripts/bench-gigapixel`).
    public static let residentBudget = 64 << 20
    static let faultAroundBytes = 64 << 10

    private init(path: String, header: CanvasFileHeader, descriptor: Int32, writable: Bool) throws {
        self.path = path
        self.precision = header.precision
        self.channels = header.channels
        self.width = header.width
        self.height = header.height
        self.isWritable = writable
        self.descriptor = descriptor
        self.mappedLength = header.fileSize
        let protection = writable ? PROT_READ | PROT_WRITE : PROT_READ
        let address = mmap(nil, header.fileSize, protection, MAP_SHARED, descriptor, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            let reason = SystemCall.message(for: errno)
            _ = Glibc.close(descriptor)
            throw PipelineStoreError.io(path: path, operation: "mmap", reason: reason)
        }
        mapping = address
    }

    /// Creates (or replaces) a zero-filled canvas file. Its blocks are reserved up front with
    /// `posix_fallocate`, so a full disk is this clear error now rather than a `SIGBUS` when a page
    /// of a sparse file is first written through the mapping.
    /// - Throws: `.invalidRequest` for impossible dimensions, `.io` when the file cannot be made.
    public static func create(
        at path: String, channels: Int, width: Int, height: Int, precision: CanvasPrecision
    ) throws -> CanvasFile {
        if let problem = CanvasFileHeader.problem(channels: channels, width: width, height: height) {
            throw PipelineStoreError.invalidRequest(path: path, reason: problem)
        }
        let header = CanvasFileHeader(precision: precision, channels: channels, width: width, height: height)
        let descriptor = try SystemCall.run("open", path: path) {
            SystemCall.calls.open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        do {
            let status = SystemCall.calls.fallocate(descriptor, 0, off_t(header.fileSize))
            guard status == 0 else {
                throw PipelineStoreError.io(
                    path: path, operation: "posix_fallocate(\(header.fileSize) bytes)",
                    reason: SystemCall.message(for: status))
            }
            try header.bytes.withUnsafeBytes { try SystemCall.writeAll(descriptor, $0, path: path) }
        } catch {
            _ = Glibc.close(descriptor)
            _ = unlink(path)
            throw error
        }
        return try CanvasFile(path: path, header: header, descriptor: descriptor, writable: true)
    }

    /// Opens an existing canvas file, checking its header against its size.
    /// - Throws: `.io` (missing, unreadable), `.corrupt` (truncated, wrong magic, wrong size),
    ///   `.unsupported` (another format version).
    public static func open(at path: String, writable: Bool = true) throws -> CanvasFile {
        let descriptor = try SystemCall.run("open", path: path) {
            Glibc.open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC)
        }
        do {
            var status = stat()
            try SystemCall.run("fstat", path: path) { fstat(descriptor, &status) }
            guard (status.st_mode & S_IFMT) == S_IFREG else {
                throw PipelineStoreError.corrupt(path: path, reason: "not a regular file")
            }
            var bytes = [UInt8](repeating: 0, count: CanvasFileHeader.size)
            let count = try bytes.withUnsafeMutableBytes { buffer in
                try SystemCall.run("pread", path: path) { pread(descriptor, buffer.baseAddress, buffer.count, 0) }
            }
            let header = try CanvasFileHeader(
                bytes: Array(bytes.prefix(count)), fileSize: Int(status.st_size), path: path)
            return try CanvasFile(path: path, header: header, descriptor: descriptor, writable: writable)
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
    }

    /// Flushes the mapping to the file and the file to the disk (`msync(MS_SYNC)`, then `fsync`):
    /// after this returns, a checkpoint that names this file is durable.
    public func sync() throws {
        guard let mapping else { preconditionFailure("\(path): sync after close") }
        try SystemCall.run("msync", path: path) { SystemCall.calls.msync(mapping, mappedLength, MS_SYNC) }
        try SystemCall.run("fsync", path: path) { SystemCall.calls.fsync(descriptor) }
    }

    /// Lets go of the pages this process has touched (`madvise(MADV_DONTNEED)`): on a shared file
    /// mapping, changed pages stay in the page cache and still reach the file, but stop counting in
    /// the process's resident memory. Reads and writes call this past `residentBudget`.
    public func releaseResidentPages() throws {
        guard let mapping else { preconditionFailure("\(path): canvas used after close") }
        touchedBytes.store(0, ordering: .relaxed)
        try SystemCall.run("madvise", path: path) { madvise(mapping, mappedLength, MADV_DONTNEED) }
    }

    /// Counts a rectangle's rows as touched and releases the pages once past the budget. A row
    /// counts at least `faultAroundBytes`: a read fault on a file mapping maps that much of the
    /// page cache around the page (Linux's `fault_around_bytes`, 64 KiB by default), so a 512-px
    /// row of 2 KB can leave 64 KB resident (measured: a 16384² level's canvas held 98 MB
    /// against a budget of 64 when rows counted their own bytes). A failing `madvise` (only for
    /// a bad range, which this mapping is not) would leave the pages resident, no more: reads
    /// and writes do not throw, so it is not reported.
    func touched(_ rect: PixelRect) {
        let runBytes = max(rect.width * precision.bytesPerSample, Self.faultAroundBytes) + Int(getpagesize())
        let total = touchedBytes.add(channels * rect.height * runBytes, ordering: .relaxed).newValue
        guard total >= Self.residentBudget, let mapping else { return }
        touchedBytes.store(0, ordering: .relaxed)
        _ = madvise(mapping, mappedLength, MADV_DONTNEED)
    }

    /// Unmaps and closes the file. Unsynced changes still reach the file (the mapping is shared),
    /// but only `sync()` makes them durable against a crash of the machine.
    public func close() throws {
        guard let mapping else { return }
        self.mapping = nil
        let unmapped = munmap(mapping, mappedLength)
        let unmapError = errno
        let closed = Glibc.close(descriptor)
        descriptor = -1
        guard unmapped == 0 else {
            throw PipelineStoreError.io(path: path, operation: "munmap", reason: SystemCall.message(for: unmapError))
        }
        guard closed == 0 else {
            throw PipelineStoreError.io(path: path, operation: "close", reason: SystemCall.message(for: errno))
        }
    }

    deinit {
        assert(mapping == nil, "\(path): a CanvasFile must be closed before it is released")
        if let mapping {
            munmap(mapping, mappedLength)
            _ = Glibc.close(descriptor)
        }
    }

    /// The mapped samples, after the header.
    var samples: UnsafeMutableRawPointer {
        guard let mapping else { preconditionFailure("\(path): canvas used after close") }
        return mapping + CanvasFileHeader.size
    }
}
