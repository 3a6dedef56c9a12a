import Glibc

/// A run directory D: everything a coordinator needs to survive its own death.
///
///     D/lock               held with flock(2) while a coordinator uses D (holder's pid and host inside)
///     D/manifest.json      the checkpoint (`RunManifest`), replaced atomically after every round
///     D/level-N.canvas     level N's canvas (`CanvasFile`); D/level-N.<purpose>.canvas for others
///     D/tiles/level-N/round-R/tile-NNNNNN.result   accepted tile results (`TileResultStore`)
///
/// Opening takes the lock, so a second coordinator pointed at the same D is refused at once
/// instead of corrupting the first one's files. The lock is released by `close()` or, should the
/// process die, by the kernel.
public final class RunDirectory {
    public static let manifestName = "manifest.json"
    public static let lockName = "lock"

    public let path: String
    /// The accepted tile results.
    public let tiles: TileResultStore
    private var lockDescriptor: Int32

    /// Opens (creating if needed) the run directory at `path` and takes its lock.
    /// - Throws: `.locked` naming the holder when another process has it, `.io` otherwise.
    public init(path: String) throws {
        self.path = path
        try TileResultStore.makeDirectory(path)
        let lockPath = "\(path)/\(Self.lockName)"
        let descriptor = try SystemCall.run("open", path: lockPath) {
            SystemCall.calls.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        }
        do {
            try Self.lock(descriptor, lockPath: lockPath, directory: path)
            tiles = try TileResultStore(directory: "\(path)/tiles")
        } catch {
            _ = Glibc.close(descriptor)
            throw error
        }
        lockDescriptor = descriptor
    }

    public var manifestPath: String { "\(path)/\(Self.manifestName)" }

    /// The canvas file of `level`: `level-N.canvas`, or `level-N.<purpose>.canvas` for another
    /// image of the level (a blend accumulator, the DSS maps).
    public func canvasName(level: Int, purpose: String? = nil) -> String {
        purpose.map { "level-\(level).\($0).canvas" } ?? "level-\(level).canvas"
    }

    /// The full path of `canvasName(level:purpose:)`.
    public func canvasPath(level: Int, purpose: String? = nil) -> String {
        "\(path)/\(canvasName(level: level, purpose: purpose))"
    }

    /// The checkpoint, or nil when the run has none yet.
    /// - Throws: `.corrupt`/`.unsupported` for a damaged or foreign manifest, `.io` when unreadable.
    public func readManifest() throws -> RunManifest? {
        guard access(manifestPath, F_OK) == 0 else { return nil }
        return try RunManifest(decoding: SystemCall.readFile(manifestPath), path: manifestPath)
    }

    /// Replaces the checkpoint atomically. Sync the canvases it names first (`CanvasFile.sync()`),
    /// so that the manifest never points at canvas bytes that a crash could still lose.
    /// - Throws: `.invalidRequest` for a manifest that could not be read back, `.io` when writing fails.
    public func writeManifest(_ manifest: RunManifest) throws {
        if let problem = manifest.problem {
            throw PipelineStoreError.invalidRequest(path: manifestPath, reason: problem)
        }
        try AtomicFile.write(manifest.encoded(), to: manifestPath)
    }

    /// Starts or resumes the run of the job whose hash is `jobHash`:
    /// - no checkpoint yet: a fresh manifest, written now (also with `resume`, so that a scheduler
    ///   can start every attempt, the first included, with `--resume`);
    /// - a checkpoint and `resume`: that checkpoint, if it is this job's;
    /// - a checkpoint and no `resume`: refused, rather than overwriting a run by accident.
    /// - Throws: `.existingRun`, `.jobMismatch` (naming both hashes), or a manifest's read error.
    public func start(jobHash: String, resume: Bool) throws -> RunManifest {
        if let existing = try readManifest() {
            guard resume else { throw PipelineStoreError.existingRun(path: path) }
            guard existing.jobHash == jobHash else {
                throw PipelineStoreError.jobMismatch(path: manifestPath, expected: jobHash, found: existing.jobHash)
            }
            return existing
        }
        let manifest = RunManifest(jobHash: jobHash)
        try writeManifest(manifest)
        return manifest
    }

    /// Releases the lock. The files stay: they are the run.
    public func close() throws {
        guard lockDescriptor >= 0 else { return }
        let descriptor = lockDescriptor
        lockDescriptor = -1
        try SystemCall.run("close", path: "\(path)/\(Self.lockName)") { Glibc.close(descriptor) }
    }

    deinit {
        assert(lockDescriptor < 0, "\(path): a RunDirectory must be closed before it is released")
        if lockDescriptor >= 0 { _ = Glibc.close(lockDescriptor) }
    }

    /// Takes an exclusive, non-blocking flock on the lock file and writes who holds it.
    private static func lock(_ descriptor: Int32, lockPath: String, directory: String) throws {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK {
                let note = String(decoding: (try? SystemCall.readFile(lockPath)) ?? [], as: UTF8.self)
                let holder = note.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                throw PipelineStoreError.locked(path: directory, holder: holder.isEmpty ? "holder unknown" : holder)
            }
            throw PipelineStoreError.io(path: lockPath, operation: "flock", reason: SystemCall.message(for: code))
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let note = Array("pid \(getpid()) on \(hostName)\n".utf8)
        try SystemCall.run("ftruncate", path: lockPath) { SystemCall.calls.ftruncate(descriptor, 0) }
        try note.withUnsafeBytes { bytes in
            let written = try SystemCall.run("pwrite", path: lockPath) {
                SystemCall.calls.pwrite(descriptor, bytes.baseAddress!, bytes.count, 0)
            }
            // The note is a few bytes: a short write means the disk is full, not a partial success.
            guard written == bytes.count else {
                throw PipelineStoreError.io(
                    path: lockPath, operation: "pwrite", reason: "wrote \(written) of \(bytes.count) bytes")
            }
        }
    }
}
