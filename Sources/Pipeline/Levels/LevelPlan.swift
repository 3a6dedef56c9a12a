import Transfer

/// The whole tiled job, level by level and round by round (DESIGN.md §2): the levels of the
/// `MultiScaleSchedule`, each cut by its rounds' `TileGrid`s, the level's iterations split across
/// its rounds. Rounds are barriers: round r reads the canvas round r − 1 wrote.
public struct LevelPlan: Sendable {
    public struct Round: Sendable, Equatable {
        public let index: Int
        /// L-BFGS iterations every tile of this round runs.
        public let iterations: Int
        public let grid: TileGrid
    }

    public struct Level: Sendable {
        public let index: Int
        public let width: Int
        public let height: Int
        /// This level's size over the output's (≤ 1).
        public let scale: Double
        /// The level's iteration count (the sum over its rounds).
        public let iterations: Int
        public let rounds: [Round]
        /// The schedule's own level (what `MultiScaleStylizer.content(of:at:settings:)` takes).
        public let schedule: MultiScaleSchedule.Level

        /// Whether the level is optimised whole, as `MultiScaleStylizer` would.
        public var isSingleTile: Bool { rounds.count == 1 && rounds[0].grid.isSingleTile }
    }

    public let levels: [Level]

    /// - Parameters:
    ///   - width, height: the output size.
    ///   - transfer: `coarse_size` and `iterations` shape the pyramid.
    ///   - tile: the tiling, validated.
    ///   - alignment: the deepest layer's stride (`TileGeometry.alignment`).
    public init(width: Int, height: Int, transfer: TransferSettings, tile: TileSettings, alignment: Int) {
        let schedule = MultiScaleSchedule(width: width, height: height, settings: transfer)
        levels = schedule.levels.enumerated().map { index, level in
            let whole = TileGrid(width: level.width, height: level.height, round: 0, settings: tile, alignment: alignment)
            // A single tile gains nothing from rounds: one round runs all the iterations. Rounds
            // without iterations would only copy the canvas, so there are at most as many rounds
            // as iterations (and always one).
            let count = whole.isSingleTile ? 1 : max(1, min(tile.rounds, level.iterations))
            let rounds = (0..<count).map { r in
                Round(
                    index: r, iterations: Self.share(of: level.iterations, round: r, rounds: count),
                    grid: TileGrid(
                        width: level.width, height: level.height, round: r,
                        settings: Self.roundSettings(tile, rounds: count), alignment: alignment))
            }
            return Level(index: index, width: level.width, height: level.height, scale: level.scale,
                         iterations: level.iterations, rounds: rounds, schedule: level)
        }
    }

    /// Round r's share of n iterations over R rounds: n / R, the first n mod R rounds one more.
    static func share(of iterations: Int, round: Int, rounds: Int) -> Int {
        iterations / rounds + (round < iterations % rounds ? 1 : 0)
    }

    /// The settings whose `rounds` is the level's actual round count (the shift is r · size / count).
    private static func roundSettings(_ tile: TileSettings, rounds: Int) -> TileSettings {
        var settings = tile
        settings.rounds = rounds
        return settings
    }
}
