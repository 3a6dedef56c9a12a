import Dispatch
import ImageIO
import Tensor

/// A level store in a run directory (DESIGN.md §2–3): each level's canvas is a Float32
/// `CanvasFile` (exact, so the bytes equal an in-memory run's), each accepted result a file of the
/// `TileResultStore` written as it arrives, and the `RunManifest` records the levels started and
/// the rounds completed. After every round the canvas is synced, then the manifest replaced
/// atomically, then the round's results removed: a crash at any point leaves a checkpoint whose
/// canvas bytes are durable, and the results of the round in progress that were accepted.
public final class RunDirectoryLevelStore: LevelStore {
    public let directory: RunDirectory
    public private(set) var manifest: RunManifest
    private var open: [CanvasFile] = []
    /// The manifest's list of accepted tiles is written at most this often (seconds) during a
    /// round: the result files are the record a resumed run trusts, the list is for people.
    private let tileListInterval: Double
    private var lastWrite = DispatchTime.now().uptimeNanoseconds

    /// - Parameters:
    ///   - directory: the opened (locked) run directory.
    ///   - manifest: its checkpoint from `RunDirectory.start(jobHash:resume:)`.
    ///   - tileListInterval: seconds between manifest writes while results arrive.
    /// - Throws: `PipelineStoreError` when the results of completed rounds cannot be removed.
    public init(directory: RunDirectory, manifest: RunManifest, tileListInterval: Double = 2) throws {
        self.directory = directory
        self.manifest = manifest
        self.tileListInterval = tileListInterval
        // A crash between a round's checkpoint and the removal of its results leaves them behind.
        for level in manifest.levels {
            for round in 0..<level.roundsCompleted { try directory.tiles.removeRound(level: level.level, round: round) }
        }
    }

    public func roundsCompleted(level: Int) -> Int? {
        manifest.levels.first { $0.level == level }?.roundsCompleted
    }

    public func makeCanvas(for level: LevelPlan.Level) throws -> any Canvas {
        let canvas = try CanvasFile.create(
            at: directory.canvasPath(level: level.index), channels: 3, width: level.width, height: level.height,
            precision: .levelCanvas)
        open.append(canvas)
        return canvas
    }

    public func openCanvas(for level: LevelPlan.Level) throws -> any Canvas {
        let path = directory.canvasPath(level: level.index)
        let canvas = try CanvasFile.open(at: path)
        open.append(canvas)
        guard canvas.channels == 3, canvas.width == level.width, canvas.height == level.height,
              canvas.precision == .levelCanvas else {
            throw PipelineStoreError.corrupt(
                path: path, reason: "a \(canvas.channels)×\(canvas.width)x\(canvas.height) \(canvas.precision) canvas"
                    + " for a 3×\(level.width)x\(level.height) level")
        }
        return canvas
    }

    public func levelStarted(_ level: LevelPlan.Level, canvas: any Canvas) throws {
        try (canvas as? CanvasFile)?.sync()
        manifest.levels.removeAll { $0.level == level.index }
        manifest.levels.append(.init(
            level: level.index, width: level.width, height: level.height, rounds: level.rounds.count,
            canvas: directory.canvasName(level: level.index), precision: .levelCanvas))
        try write()
    }

    public func storedTiles(level: Int, round: Int) throws -> Set<Int> {
        Set(try directory.tiles.completedTiles(level: level, round: round))
    }

    public func store(_ record: TileResultRecord) throws {
        try directory.tiles.write(record)
        manifest.recordTile(record.key)
        if Double(DispatchTime.now().uptimeNanoseconds - lastWrite) / 1e9 >= tileListInterval { try write() }
    }

    /// Reads every stored result: one that is damaged (checksum, size, fields), names another key,
    /// is not a tile of the plan, does not have its tile's rectangle and three channels, or holds
    /// a non-finite pixel is removed, so its tile is queued again instead of failing the blend.
    /// - Returns: one line per result removed, naming its file and the reason.
    /// - Throws: `.io` when a result cannot be read or removed (that is no damage to repair).
    public func discardDamagedResults(job: String, expected: (TileResultKey) -> PixelRect?) throws -> [String] {
        var lines: [String] = []
        for key in try directory.tiles.storedKeys(job: job) {
            let path = directory.tiles.path(of: key)
            let problem: PipelineStoreError?
            do {
                problem = Self.problem(with: try directory.tiles.read(key), expected: expected(key), path: path)
            } catch let error as PipelineStoreError {
                if case .io = error { throw error }
                problem = error
            }
            guard let problem else { continue }
            try directory.tiles.remove(key)
            manifest.completedTiles.removeAll { $0 == key }
            lines.append("\(problem); removed, the tile is solved again")
        }
        if !lines.isEmpty { try write() }
        return lines
    }

    /// Why a stored record cannot be blended into its tile's place, or nil when it can.
    private static func problem(
        with record: TileResultRecord, expected: PixelRect?, path: String
    ) -> PipelineStoreError? {
        guard let expected else { return .corrupt(path: path, reason: "\(record.key) is not a tile of this job") }
        guard record.rect == expected else {
            return .corrupt(path: path, reason: "a result for \(record.rect), where \(record.key) covers \(expected)")
        }
        guard record.pixels.channels == 3 else {
            return .corrupt(path: path, reason: "\(record.pixels.channels) channels, not 3")
        }
        guard record.pixels.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) else {
            return .corrupt(path: path, reason: "non-finite pixels")
        }
        return nil
    }

    public func result(_ key: TileResultKey) throws -> Tensor { try directory.tiles.read(key).pixels }

    public func roundCompleted(level: Int, round: Int, canvas: any Canvas) throws {
        try (canvas as? CanvasFile)?.sync()
        manifest.completeRound(level: level)
        try write()
        try directory.tiles.removeRound(level: level, round: round)
    }

    public func release(_ canvas: any Canvas) throws {
        guard let file = canvas as? CanvasFile else { return }
        open.removeAll { $0 === file }
        try file.close()
    }

    /// Closes every canvas still open (the files stay: they are the run).
    public func close() throws {
        for file in open { try file.close() }
        open = []
    }

    private func write() throws {
        try directory.writeManifest(manifest)
        lastWrite = DispatchTime.now().uptimeNanoseconds
    }
}
