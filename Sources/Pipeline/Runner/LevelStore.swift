import ImageIO
import Tensor

/// Where the tiled runner keeps each level's canvas and each round's accepted results, and where
/// it records its progress: in memory (`MemoryLevelStore`, a run that cannot be resumed) or in a
/// run directory (`RunDirectoryLevelStore`: canvas files, one file per result, a manifest
/// written after every round) so that a killed coordinator resumes without recomputing a tile.
/// `TiledStylizer` runs the same steps over either, so both give the same bytes.
public protocol LevelStore: AnyObject {
    /// The rounds of `level` completed so far, or nil when the level has not been started.
    func roundsCompleted(level: Int) -> Int?
    /// A new zero-filled canvas for `level` (3 × its size).
    func makeCanvas(for level: LevelPlan.Level) throws -> any Canvas
    /// The canvas of a level started earlier, as the last checkpoint left it.
    func openCanvas(for level: LevelPlan.Level) throws -> any Canvas
    /// Records that `canvas` holds `level`'s starting image (durably, for a file store).
    func levelStarted(_ level: LevelPlan.Level, canvas: any Canvas) throws
    /// The tiles of (`level`, `round`) whose results are stored, from an earlier attempt or this one.
    func storedTiles(level: Int, round: Int) throws -> Set<Int>
    /// Checks every stored result against the plan (`expected` gives each tile's result
    /// rectangle, nil for a key that is no tile of it) and removes those that cannot be blended,
    /// so that their tiles are solved again. - Returns: one line per result removed.
    func discardDamagedResults(job: String, expected: (TileResultKey) -> PixelRect?) throws -> [String]
    /// Keeps an accepted result (the first one per key wins).
    func store(_ record: TileResultRecord) throws
    /// The pixels of the stored result of `key`.
    func result(_ key: TileResultKey) throws -> Tensor
    /// Records that round `round` of `level` is blended into `canvas` (the checkpoint) and forgets
    /// its results.
    func roundCompleted(level: Int, round: Int, canvas: any Canvas) throws
    /// Lets go of a canvas no longer needed (a file store unmaps it).
    func release(_ canvas: any Canvas) throws
}

/// A store in memory: canvases are tensors, results live until their round is blended, and
/// progress dies with the process. Today's default, for jobs that fit in memory.
public final class MemoryLevelStore: LevelStore {
    private var progress: [Int: Int] = [:]
    private var canvases: [Int: MemoryCanvas] = [:]
    private var results: [TileResultKey: Tensor] = [:]

    public init() {}

    public func roundsCompleted(level: Int) -> Int? { progress[level] }

    public func makeCanvas(for level: LevelPlan.Level) throws -> any Canvas {
        let canvas = MemoryCanvas(channels: 3, width: level.width, height: level.height)
        canvases[level.index] = canvas
        return canvas
    }

    public func openCanvas(for level: LevelPlan.Level) throws -> any Canvas {
        guard let canvas = canvases[level.index] else { preconditionFailure("level \(level.index) was never started") }
        return canvas
    }

    public func levelStarted(_ level: LevelPlan.Level, canvas: any Canvas) throws { progress[level.index] = 0 }

    public func storedTiles(level: Int, round: Int) throws -> Set<Int> {
        Set(results.keys.filter { $0.level == level && $0.round == round }.map(\.tile))
    }

    /// Results in memory were checked when accepted and cannot be damaged since.
    public func discardDamagedResults(job: String, expected: (TileResultKey) -> PixelRect?) throws -> [String] { [] }

    public func store(_ record: TileResultRecord) throws {
        if results[record.key] == nil { results[record.key] = record.pixels }
    }

    public func result(_ key: TileResultKey) throws -> Tensor {
        guard let pixels = results[key] else { throw PipelineError.task(reason: "\(key): no result stored") }
        return pixels
    }

    public func roundCompleted(level: Int, round: Int, canvas: any Canvas) throws {
        progress[level, default: 0] += 1
        results = results.filter { !($0.key.level == level && $0.key.round == round) }
    }

    public func release(_ canvas: any Canvas) throws {
        canvases = canvases.filter { $0.value !== canvas }
    }
}
