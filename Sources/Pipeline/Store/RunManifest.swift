/// The checkpoint of a run: which job it is (the job hash), how far each level got (rounds
/// completed, the canvas file that holds the level after its last completed round) and which
/// tiles of the round in progress were accepted. The coordinator rewrites it atomically after
/// every round (after syncing the canvases it names), so a restarted coordinator (`--resume`)
/// continues from the last completed round and recomputes no stored tile.
public struct RunManifest: Codable, Equatable, Sendable {
    /// The version of this JSON layout; a manifest of another version is refused with a message.
    /// 2: the job hash is the settings schema's canonical one (`JobHash.of(settings:job:)`); a
    /// manifest of 1 holds a hash of another form, which no job of this build can match.
    public static let currentFormatVersion = 2

    /// The progress of one level of the pyramid.
    public struct LevelProgress: Codable, Equatable, Sendable {
        public var level: Int
        public var width: Int
        public var height: Int
        public var rounds: Int
        public var roundsCompleted: Int
        /// The canvas file, relative to the run directory (`level-N.canvas`).
        public var canvas: String
        public var precision: CanvasPrecision

        public init(
            level: Int, width: Int, height: Int, rounds: Int, roundsCompleted: Int = 0, canvas: String,
            precision: CanvasPrecision
        ) {
            self.level = level
            self.width = width
            self.height = height
            self.rounds = rounds
            self.roundsCompleted = roundsCompleted
            self.canvas = canvas
            self.precision = precision
        }

        public var isComplete: Bool { roundsCompleted >= rounds }
    }

    public var formatVersion: Int
    /// `JobHash.of(job)`: 64 hexadecimal digits.
    public var jobHash: String
    /// The levels started so far, coarse to fine.
    public var levels: [LevelProgress]
    /// Tiles accepted in rounds that are not complete yet, in tile order.
    public var completedTiles: [TileResultKey]

    public init(jobHash: String) {
        formatVersion = Self.currentFormatVersion
        self.jobHash = jobHash
        levels = []
        completedTiles = []
    }

    /// The first round not yet completed among the levels started, or nil when all are complete
    /// (the next level, if any, has not been started).
    public var nextRound: (level: Int, round: Int)? {
        levels.first { !$0.isComplete }.map { ($0.level, $0.roundsCompleted) }
    }

    /// Records an accepted tile of a round in progress (once per key).
    public mutating func recordTile(_ key: TileResultKey) {
        guard !completedTiles.contains(key) else { return }
        completedTiles.append(key)
        completedTiles.sort()
    }

    /// Marks the next round of `level` complete and forgets its tiles (they are in the canvas now).
    public mutating func completeRound(level: Int) {
        guard let index = levels.firstIndex(where: { $0.level == level }) else {
            preconditionFailure("round completed on level \(level), which was never started")
        }
        let round = levels[index].roundsCompleted
        precondition(!levels[index].isComplete, "level \(level) has no round left to complete")
        levels[index].roundsCompleted += 1
        completedTiles.removeAll { $0.level == level && $0.round == round }
    }
}
