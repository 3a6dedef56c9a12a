import Foundation
import ImageIO
import Tensor

/// Blends one round's tile results into the level's canvas (DESIGN.md §2): each result is
/// weighted by a raised cosine that falls from 1 to 0 across the 2·overlap band centred on each
/// core edge it shares with a neighbour (on those bands a tile's and its neighbour's weights sum
/// to 1), and every pixel gets the weighted mean of the results covering it.
///
/// The central invariant: the bytes of the canvas depend only on the results, never on the order
/// they arrived in, the worker count or failures. Float sums depend on their order, so every
/// pixel folds its results in tile order, whichever region the caller blends at a time.
public struct TileBlender: Sendable {
    public let grid: TileGrid

    public init(grid: TileGrid) {
        self.grid = grid
    }

    /// The weights of `tile`'s result along x (result.width values) and along y (result.height):
    /// a pixel's weight is the product of its column's and its row's. Inside the core, away from
    /// the bands, the weight is 1; it never falls below 1/4 inside the core, so every pixel's
    /// total weight is bounded away from 0.
    public func weights(_ tile: Tile) -> (columns: [Float], rows: [Float]) {
        let x = grid.columnSpans[tile.column], y = grid.rowSpans[tile.row]
        return (
            Self.axisWeights(span: tile.result.x..<tile.result.maxX, core: x, length: grid.width, overlap: grid.settings.overlap),
            Self.axisWeights(span: tile.result.y..<tile.result.maxY, core: y, length: grid.height, overlap: grid.settings.overlap)
        )
    }

    /// One axis: a rising half cosine over [core.start − overlap, core.start + overlap) when there is
    /// a neighbour before, a falling one over the same band around core.end when there is one after.
    static func axisWeights(span: Range<Int>, core: Range<Int>, length: Int, overlap: Int) -> [Float] {
        span.map { position in
            guard overlap > 0 else { return 1 }
            let centre = Double(position) + 0.5
            var weight = 1.0
            if core.lowerBound > 0 {
                weight *= rise((centre - Double(core.lowerBound - overlap)) / Double(2 * overlap))
            }
            if core.upperBound < length {
                weight *= 1 - rise((centre - Double(core.upperBound - overlap)) / Double(2 * overlap))
            }
            return Float(weight)
        }
    }

    /// The raised cosine ½ − ½ cos(π t), clamped to 0 before the band and 1 after it.
    static func rise(_ t: Double) -> Double {
        if t <= 0 { return 0 }
        if t >= 1 { return 1 }
        return 0.5 - 0.5 * cos(Double.pi * t)
    }

    /// Writes into `canvas` the blend of the pixels of `region`, from the results of the tiles whose
    /// result rectangle meets it, folded in tile order as a running weighted mean (a constant image
    /// blends to itself exactly: every step adds w·(p − mean) = 0).
    /// - Parameter result: the result pixels of a tile (channels × result.height × result.width).
    public func blend(region: PixelRect, into canvas: Canvas, result: (Tile) throws -> Tensor) rethrows {
        let channels = canvas.channels, plane = region.width * region.height
        let mean = Tensor(channels: channels, height: region.height, width: region.width)
        var total = [Float](repeating: 0, count: plane)
        for tile in grid.tiles {
            let overlap = tile.result.intersection(region)
            if overlap.isEmpty { continue }
            let pixels = try result(tile)
            precondition(pixels.shape == Shape(channels: channels, height: tile.result.height, width: tile.result.width),
                         "tile \(tile.index): result \(pixels.shape) for \(tile.result)")
            let (columns, rows) = weights(tile)
            for y in overlap.y..<overlap.maxY {
                let rowWeight = rows[y - tile.result.y]
                for x in overlap.x..<overlap.maxX {
                    let weight = rowWeight * columns[x - tile.result.x]
                    let at = (y - region.y) * region.width + (x - region.x)
                    let first = total[at] == 0
                    total[at] += weight
                    let share = weight / total[at]
                    for c in 0..<channels {
                        let value = pixels[c, y - tile.result.y, x - tile.result.x]
                        mean[flat: c * plane + at] = first ? value : mean[flat: c * plane + at] + share * (value - mean[flat: c * plane + at])
                    }
                }
            }
        }
        precondition(total.allSatisfy { $0 > 0 }, "\(region) has pixels outside every tile's result")
        canvas.write(mean, at: region)
    }

    /// Blends the whole round into `canvas`, one tile core at a time (so at most the results of a
    /// core's neighbours are needed at once).
    public func blend(into canvas: Canvas, result: (Tile) throws -> Tensor) rethrows {
        precondition(canvas.width == grid.width && canvas.height == grid.height, "canvas size differs from the grid's")
        for tile in grid.tiles {
            try blend(region: tile.core, into: canvas, result: result)
        }
    }
}
