import Glibc

/// The accepted tile results of a run, one file each under `tiles/level-L/round-R/` of the run
/// directory, written atomically (`AtomicFile`). They are blended in tile order at the round's
/// end, and after a restart the files present say which tiles of the round need no recomputing.
public final class TileResultStore: Sendable {
    /// The folder that holds the results (`D/tiles`).
    public let directory: String

    /// Opens the store in `directory`, creating it if needed, and removes the temporary files of
    /// writes that a crash interrupted.
    public init(directory: String) throws {
        self.directory = directory
        try Self.makeDirectory(directory)
        try removeTemporaryFiles()
    }

    /// The file of `key`'s result.
    public func path(of key: TileResultKey) -> String {
        "\(roundDirectory(level: key.level, round: key.round))/tile-\(String(key.tile).leftPadded(to: 6)).result"
    }

    /// Stores `record` unless a result for its key is already stored: the first accepted result
    /// wins, so a duplicate (a speculative copy, a late worker) changes nothing.
    /// - Returns: whether the record was written.
    /// - Throws: `.invalidRequest` for a record the format cannot hold, `.io` when writing fails.
    @discardableResult
    public func write(_ record: TileResultRecord) throws -> Bool {
        if let problem = record.storageProblem {
            throw PipelineStoreError.invalidRequest(path: directory, reason: problem)
        }
        guard !contains(record.key) else { return false }
        try Self.makeDirectory(roundDirectory(level: record.key.level, round: record.key.round))
        try AtomicFile.write(record.encoded(), to: path(of: record.key))
        return true
    }

    /// Whether a result for `key` is stored.
    public func contains(_ key: TileResultKey) -> Bool { access(path(of: key), F_OK) == 0 }

    /// Reads the result stored for `key`.
    /// - Throws: `.io` when there is none, `.corrupt` when its file is damaged or holds another key.
    public func read(_ key: TileResultKey) throws -> TileResultRecord {
        let path = path(of: key)
        let record = try TileResultRecord(decoding: SystemCall.readFile(path), path: path)
        guard record.key == key else {
            throw PipelineStoreError.corrupt(path: path, reason: "holds the result of \(record.key), not of \(key)")
        }
        return record
    }

    /// The indices of the tiles of (`level`, `round`) whose results are stored, ascending.
    public func completedTiles(level: Int, round: Int) throws -> [Int] {
        try entries(of: roundDirectory(level: level, round: round)).compactMap { name -> Int? in
            guard name.hasPrefix("tile-"), name.hasSuffix(".result") else { return nil }
            return Int(name.dropFirst(5).dropLast(7))
        }.sorted()
    }

    /// The keys of every stored result, of any level and round, as their files name them (`job`
    /// completes each key: file names do not carry it), in key order.
    public func storedKeys(job: String) throws -> [TileResultKey] {
        var keys: [TileResultKey] = []
        for level in try entries(of: directory) {
            guard let levelIndex = Self.index(level, prefix: "level-") else { continue }
            for round in try entries(of: "\(directory)/\(level)") {
                guard let roundIndex = Self.index(round, prefix: "round-") else { continue }
                for tile in try completedTiles(level: levelIndex, round: roundIndex) {
                    keys.append(TileResultKey(job: job, level: levelIndex, round: roundIndex, tile: tile))
                }
            }
        }
        return keys.sorted()
    }

    /// Removes the stored result of `key`, if any (durably: its folder is synced).
    public func remove(_ key: TileResultKey) throws {
        let path = path(of: key)
        guard access(path, F_OK) == 0 else { return }
        try SystemCall.run("unlink", path: path) { SystemCall.calls.unlink(path) }
        try AtomicFile.syncDirectory(AtomicFile.parentDirectory(of: path))
    }

    /// Removes a round's results, once they are blended into a canvas and checkpointed.
    public func removeRound(level: Int, round: Int) throws {
        let folder = roundDirectory(level: level, round: round)
        for name in try entries(of: folder) {
            let path = "\(folder)/\(name)"
            try SystemCall.run("unlink", path: path) { SystemCall.calls.unlink(path) }
        }
        if access(folder, F_OK) == 0 {
            try SystemCall.run("rmdir", path: folder) { rmdir(folder) }
            try AtomicFile.syncDirectory(AtomicFile.parentDirectory(of: folder))
        }
    }

    /// Removes the temporary files that interrupted writes left in the rounds' folders.
    public func removeTemporaryFiles() throws {
        for level in try entries(of: directory) where level.hasPrefix("level-") {
            for round in try entries(of: "\(directory)/\(level)") where round.hasPrefix("round-") {
                let folder = "\(directory)/\(level)/\(round)"
                for name in try entries(of: folder) where AtomicFile.isTemporary(name) {
                    let path = "\(folder)/\(name)"
                    try SystemCall.run("unlink", path: path) { SystemCall.calls.unlink(path) }
                }
            }
        }
    }

    /// The number in a folder name as `roundDirectory` writes it (`level-3`), or nil for another name.
    private static func index(_ name: String, prefix: String) -> Int? {
        guard name.hasPrefix(prefix), let index = Int(name.dropFirst(prefix.count)), index >= 0,
              name == prefix + String(index) else { return nil }
        return index
    }

    private func roundDirectory(level: Int, round: Int) -> String { "\(directory)/level-\(level)/round-\(round)" }

    /// The names in `folder` (none when it does not exist).
    private func entries(of folder: String) throws -> [String] {
        guard let stream = opendir(folder) else {
            if errno == ENOENT { return [] }
            throw PipelineStoreError.io(path: folder, operation: "opendir", reason: SystemCall.message(for: errno))
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `mkdir -p`, making each new folder's entry durable in its parent.
    static func makeDirectory(_ path: String) throws {
        guard access(path, F_OK) != 0 else { return }
        let parent = AtomicFile.parentDirectory(of: path)
        if parent != path { try makeDirectory(parent) }
        try SystemCall.run("mkdir", path: path) {
            // EEXIST: made meanwhile by another process; the folder is there, as asked.
            SystemCall.calls.mkdir(path, 0o755) == 0 || errno == EEXIST ? 0 : -1
        }
        try AtomicFile.syncDirectory(parent)
    }
}
