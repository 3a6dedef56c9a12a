import ImageIO

/// One tile of a level in one round (DESIGN.md §2): the core it owns, the result it paints (the
/// core grown by the overlap, blended with the neighbours) and the context it reads (the result
/// grown by the halo, seen by the network but never changed). All three are in level pixels,
/// clipped to the level.
public struct Tile: Sendable, Hashable {
    /// Position in the grid's order (row-major): the order results are blended in.
    public let index: Int
    public let column: Int
    public let row: Int
    public let core: PixelRect
    public let result: PixelRect
    public let context: PixelRect

    /// `result` in the coordinates of `context` (where a task's pixels start at 0, 0).
    public var resultInContext: PixelRect { result.offsetBy(dx: -context.x, dy: -context.y) }
}

/// The tiles of one level in one round: cores on a grid of `tile.size` shifted by the round's
/// offset, so that the seams of round r lie where round r − 1 had the middle of tiles. Every level
/// pixel lies in exactly one core. An axis no longer than `size + overlap` is not cut; a level
/// not cut on either axis is one tile whose three rectangles are the whole level.
public struct TileGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let settings: TileSettings
    /// The round (0-based) among `settings.rounds`.
    public let round: Int
    /// The grid's shift in this round along both axes: ≈ round · size / rounds, a multiple of
    /// `alignment` so that tile origins keep the network's pooling grid.
    public let offset: Int
    /// The core ranges along x and along y.
    public let columnSpans: [Range<Int>]
    public let rowSpans: [Range<Int>]

    /// - Parameters:
    ///   - width, height: the level's size.
    ///   - round: which round (0..<settings.rounds).
    ///   - alignment: the deepest layer's stride (`TileGeometry.alignment`); `settings` are
    ///     assumed validated against it.
    public init(width: Int, height: Int, round: Int, settings: TileSettings, alignment: Int) {
        precondition(width > 0 && height > 0 && alignment > 0 && settings.size > 0, "bad tile grid")
        precondition(round >= 0 && round < max(1, settings.rounds), "round \(round) of \(settings.rounds)")
        self.width = width
        self.height = height
        self.settings = settings
        self.round = round
        let fraction = Double(round * settings.size) / Double(max(1, settings.rounds))
        offset = (Int((fraction / Double(alignment)).rounded()) * alignment) % settings.size
        columnSpans = Self.spans(length: width, settings: settings, offset: offset)
        rowSpans = Self.spans(length: height, settings: settings, offset: offset)
    }

    /// The cores along one axis: cuts at k · size − offset inside the axis, none when it fits.
    static func spans(length: Int, settings: TileSettings, offset: Int) -> [Range<Int>] {
        guard length > settings.size + settings.overlap else { return [0..<length] }
        var cuts = [0]
        var cut = settings.size - offset
        while cut < length {
            if cut > 0 { cuts.append(cut) }
            cut += settings.size
        }
        cuts.append(length)
        return (0..<cuts.count - 1).map { cuts[$0]..<cuts[$0 + 1] }
    }

    public var columns: Int { columnSpans.count }
    public var rows: Int { rowSpans.count }
    public var count: Int { columns * rows }
    /// Whether the level is optimised whole (one tile covering it).
    public var isSingleTile: Bool { count == 1 }
    public var bounds: PixelRect { PixelRect(width: width, height: height) }

    /// The tile at `index` (row-major).
    public func tile(_ index: Int) -> Tile {
        precondition(index >= 0 && index < count, "tile \(index) of \(count)")
        let column = index % columns, row = index / columns
        let x = columnSpans[column], y = rowSpans[row]
        let core = PixelRect(x: x.lowerBound, y: y.lowerBound, width: x.count, height: y.count)
        let result = core.expanded(by: settings.overlap).intersection(bounds)
        let context = result.expanded(by: settings.halo).intersection(bounds)
        return Tile(index: index, column: column, row: row, core: core, result: result, context: context)
    }

    /// Every tile, in blending order.
    public var tiles: [Tile] { (0..<count).map(tile) }
}
