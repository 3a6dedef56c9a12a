/// The cells of a grid laid over a rectangle, row-major, the last column and row clipped to its
/// edge: the strips or tiles of an image, or the output tiles of a streaming pass. Lazy, so a
/// header that claims billions of cells costs nothing until cells are visited.
public struct RegionGrid: Sequence, Sendable {
    public let bounds: PixelRect
    public let cellWidth: Int
    public let cellHeight: Int

    public init(bounds: PixelRect, cellWidth: Int, cellHeight: Int) {
        precondition(cellWidth > 0 && cellHeight > 0, "grid cells must have a positive size")
        self.bounds = bounds
        self.cellWidth = cellWidth
        self.cellHeight = cellHeight
    }

    public var columns: Int { bounds.isEmpty ? 0 : (bounds.width + cellWidth - 1) / cellWidth }
    public var rows: Int { bounds.isEmpty ? 0 : (bounds.height + cellHeight - 1) / cellHeight }

    /// Cell (`column`, `row`), clipped to `bounds`.
    public func cell(column: Int, row: Int) -> PixelRect {
        PixelRect(
            x: bounds.x + column * cellWidth, y: bounds.y + row * cellHeight, width: cellWidth, height: cellHeight
        )
        .intersection(bounds)
    }

    public func makeIterator() -> AnyIterator<PixelRect> {
        var index = 0
        let (columns, rows) = (self.columns, self.rows)
        return AnyIterator {
            guard index < columns * rows else { return nil }
            defer { index += 1 }
            return cell(column: index % columns, row: index / columns)
        }
    }
}
