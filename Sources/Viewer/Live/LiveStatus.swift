/// What `/status.json` answers while a run is watched: the level and round, every tile of the
/// round with its state, the rates, the workers and the finished levels' previews. The live page
/// polls it; tests read it too.
public struct LiveStatus: Codable, Sendable, Equatable {
    /// A tile of the round being run: its core rectangle in level pixels and what became of it.
    public struct Tile: Codable, Sendable, Equatable {
        public var index: Int
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int
        /// `done`, `leased` (a worker holds it), `retried` (queued again after a lost lease) or `queued`.
        public var state: String
        /// The workers holding it, for a leased tile (two when a speculative copy runs).
        public var workers: [String]?
        /// Leases of it lost so far (a dead worker's or a failed one).
        public var lostLeases: Int?
    }

    public struct Worker: Codable, Sendable, Equatable {
        public var name: String
        public var tiles: Int
        /// Seconds from lease to accepted result, summed over its tiles.
        public var seconds: Double
        public var alive: Bool
    }

    /// The small image of the current level, `/live/canvas.png`.
    public struct Overview: Codable, Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// Level pixels per overview pixel (a power of two).
        public var factor: Int
        /// Changes whenever its pixels do, so a page fetches it again only then.
        public var version: Int
    }

    /// A finished level's preview, `/live/levels/N.png` (N from 1).
    public struct Preview: Codable, Sendable, Equatable {
        public var level: Int
        public var width: Int
        public var height: Int
        public var url: String
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var total = 0
        public var done = 0
        public var leased = 0
        public var retried = 0
        public var queued = 0
    }

    public var job: String
    /// `starting` (no level yet), `running`, `finished` or `failed`.
    public var state: String
    /// From 1, as the progress lines count them; 0 before the first level.
    public var level: Int
    public var levels: Int
    public var round: Int
    public var rounds: Int
    /// The current level's size in pixels.
    public var width: Int
    public var height: Int
    public var overview: Overview?
    public var tiles: [Tile]
    public var counts: Counts
    /// Tiles accepted per second, over the last tiles of the level.
    public var tilesPerSecond: Double
    /// Seconds until the level's remaining tiles (this round's and later rounds') are done at
    /// that rate; nil before a rate is known.
    public var etaSeconds: Double?
    public var elapsedSeconds: Double
    /// Results accepted since the run (or the batch's job) began, every level and round.
    public var tilesAccepted: Int
    /// Tasks queued again after their worker died or failed, since the job began.
    public var retries: Int
    public var workersAlive: Int
    public var workers: [Worker]
    public var bytesIn: Int
    public var bytesOut: Int
    public var previews: [Preview]
}
