import ImageIO

/// The Deep Zoom (DZI) geometry of one image: level `maxLevel` is the full resolution, each level
/// below halves it (rounding up), down to level 0, one pixel. Level `n`'s tiles are `tileSize`
/// squares on a grid from the top-left corner, each grown by `overlap` pixels into its neighbours
/// (the edges of the image are not grown), as Seadragon's format defines it.
public struct DeepZoomLayout: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let tileSize: Int
    public let overlap: Int

    /// The layout every served image uses: 254-pixel tiles with one pixel of overlap, so that a
    /// tile and its overlap make 256 pixels and neighbours blend without a visible seam.
    public init(width: Int, height: Int, tileSize: Int = 254, overlap: Int = 1) {
        precondition(width > 0 && height > 0 && tileSize > 0 && overlap >= 0)
        self.width = width
        self.height = height
        self.tileSize = tileSize
        self.overlap = overlap
    }

    /// The full-resolution level: ⌈log₂ of the longer side⌉.
    public var maxLevel: Int {
        var level = 0
        while (1 << level) < max(width, height) { level += 1 }
        return level
    }

    /// How many times level `level` is smaller than the full resolution (a power of two).
    public func factor(of level: Int) -> Int { 1 << (maxLevel - level) }

    /// The size of `level`: the full size divided by its factor, rounded up.
    public func size(of level: Int) -> PixelSize {
        AreaDownsampling.outputSize(of: PixelSize(width: width, height: height), factor: factor(of: level))
    }

    /// Columns and rows of tiles at `level`.
    public func tileCounts(at level: Int) -> (columns: Int, rows: Int) {
        let size = size(of: level)
        return ((size.width + tileSize - 1) / tileSize, (size.height + tileSize - 1) / tileSize)
    }

    /// The rectangle of `level`'s pixels that tile (`column`, `row`) shows, overlap included, or
    /// nil when the level or the tile does not exist.
    public func tileRect(level: Int, column: Int, row: Int) -> PixelRect? {
        guard (0...maxLevel).contains(level) else { return nil }
        let counts = tileCounts(at: level)
        guard (0..<counts.columns).contains(column), (0..<counts.rows).contains(row) else { return nil }
        let size = size(of: level)
        let x = column * tileSize - (column > 0 ? overlap : 0)
        let y = row * tileSize - (row > 0 ? overlap : 0)
        let maxX = min((column + 1) * tileSize + overlap, size.width)
        let maxY = min((row + 1) * tileSize + overlap, size.height)
        return PixelRect(x: x, y: y, width: maxX - x, height: maxY - y)
    }

    /// The `.dzi` descriptor (Deep Zoom's XML) for tiles in `format` (its extension).
    public func descriptor(format: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="\(format)" \
        Overlap="\(overlap)" TileSize="\(tileSize)"><Size Width="\(width)" Height="\(height)"/></Image>

        """
    }
}
