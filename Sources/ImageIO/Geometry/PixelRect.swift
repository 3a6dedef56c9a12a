/// A rectangle of pixels: the unit of every request in ImageIO (STYLE.md §5). `x`, `y` are the
/// top-left corner; the rectangle covers columns `x..<x+width` and rows `y..<y+height`.
public struct PixelRect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The rectangle `0, 0, width, height` of a whole image.
    public init(width: Int, height: Int) {
        self.init(x: 0, y: 0, width: width, height: height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var pixelCount: Int { isEmpty ? 0 : width * height }

    /// The common part of two rectangles (empty, with zero size, when they do not meet).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        return PixelRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    /// Whether `other` lies wholly inside this rectangle.
    public func contains(_ other: PixelRect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }

    /// The rectangle grown by `margin` pixels on every side.
    public func expanded(by margin: Int) -> PixelRect {
        PixelRect(x: x - margin, y: y - margin, width: width + 2 * margin, height: height + 2 * margin)
    }

    /// The rectangle moved by `dx`, `dy`.
    public func offsetBy(dx: Int, dy: Int) -> PixelRect {
        PixelRect(x: x + dx, y: y + dy, width: width, height: height)
    }

    /// Row-major rectangles of at most `tileWidth`×`tileHeight` that cover this one exactly, the
    /// last column and row clipped to its edge.
    public func tiles(width tileWidth: Int, height tileHeight: Int) -> RegionGrid {
        RegionGrid(bounds: self, cellWidth: tileWidth, cellHeight: tileHeight)
    }

    public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}
