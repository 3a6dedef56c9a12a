import Dispatch
import ImageIO
import Tensor

extension TileBlender {
    /// Blends the whole round into `canvas` reading each tile's result once, in tile order: each
    /// result is folded into running means over the pixel rows its tile row covers (a band of about
    /// one tile row's height, the whole level wide), and the rows that no later tile row reaches
    /// are written out. Every pixel folds the same results in the same order with the same
    /// arithmetic as `blend(region:into:result:)`, so the bytes are the same, with one row of
    /// tiles' worth of accumulators instead of a result read three times (once per row of cores
    /// it overlaps).
    /// - Parameter result: the result pixels of a tile, asked for once per tile, in tile order.
    public func blendRows(into canvas: Canvas, result: (Tile) throws -> Tensor) rethrows {
        precondition(canvas.width == grid.width && canvas.height == grid.height, "canvas size differs from the grid's")
        var band = BlendBand(channels: canvas.channels, width: grid.width, rows: 0..<0)
        for row in 0..<grid.rows {
            let first = grid.tile(row * grid.columns)
            band = band.extended(to: first.result.maxY)
            for column in 0..<grid.columns {
                let tile = grid.tile(row * grid.columns + column)
                let pixels = try result(tile)
                precondition(
                    pixels.shape
                        == Shape(channels: canvas.channels, height: tile.result.height, width: tile.result.width),
                    "tile \(tile.index): result \(pixels.shape) for \(tile.result)")
                let (columns, rows) = weights(tile)
                band.fold(pixels, over: tile.result, columns: columns, rows: rows)
            }
            // Result rectangles start lower with every tile row: rows above the next one's are final.
            let done = row + 1 < grid.rows ? grid.tile((row + 1) * grid.columns).result.y : grid.height
            band.write(rowsUpTo: done, into: canvas)
        }
    }
}

/// Running weighted means (and their weight totals) over a band of whole pixel rows.
private struct BlendBand {
    let channels: Int
    let width: Int
    private(set) var rows: Range<Int>
    /// channels × rows.count × width
    private var mean: [Float]
    /// rows.count × width
    private var total: [Float]

    init(channels: Int, width: Int, rows: Range<Int>) {
        self.channels = channels
        self.width = width
        self.rows = rows
        mean = [Float](repeating: 0, count: channels * rows.count * width)
        total = [Float](repeating: 0, count: rows.count * width)
    }

    /// The band grown down to `bottom`, the new rows empty (no result folded in).
    func extended(to bottom: Int) -> BlendBand {
        guard bottom > rows.upperBound else { return self }
        var grown = BlendBand(channels: channels, width: width, rows: rows.lowerBound..<bottom)
        let plane = rows.count * width, grownPlane = grown.rows.count * width
        grown.total.replaceSubrange(0..<plane, with: total)
        for c in 0..<channels {
            grown.mean.replaceSubrange(c * grownPlane..<c * grownPlane + plane, with: mean[c * plane..<(c + 1) * plane])
        }
        return grown
    }

    /// Folds a result (channels × rect) with the separable weights `columns` × `rows` into the
    /// means, pixel by pixel in the order `TileBlender.blend(region:)` does. Rows of the result are
    /// disjoint pixels, so they are folded on several threads at once.
    mutating func fold(_ pixels: Tensor, over rect: PixelRect, columns: [Float], rows weights: [Float]) {
        precondition(rect.y >= rows.lowerBound && rect.maxY <= rows.upperBound && rect.x >= 0 && rect.maxX <= width,
                     "\(rect) is outside the band \(rows)")
        let channels = channels, width = width, top = rows.lowerBound, plane = rows.count * width
        let resultPlane = rect.width * rect.height
        let chunks = min(rect.height, 8)
        pixels.withUnsafeBufferPointer { source in
            mean.withUnsafeMutableBufferPointer { mean in
                total.withUnsafeMutableBufferPointer { total in
                    let buffers = UnsafeBuffers(source: source, mean: mean, total: total)
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        let (source, mean, total) = (buffers.source, buffers.mean, buffers.total)
                        let from = rect.height * chunk / chunks, to = rect.height * (chunk + 1) / chunks
                        for y in from..<to {
                            let rowWeight = weights[y]
                            let bandRow = (rect.y + y - top) * width + rect.x
                            for x in 0..<rect.width {
                                let weight = rowWeight * columns[x]
                                let at = bandRow + x
                                let first = total[at] == 0
                                total[at] += weight
                                let share = weight / total[at]
                                for c in 0..<channels {
                                    let value = source[c * resultPlane + y * rect.width + x]
                                    let m = mean[c * plane + at]
                                    mean[c * plane + at] = first ? value : m + share * (value - m)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes the band's rows above `bottom` to `canvas` and drops them from the band.
    mutating func write(rowsUpTo bottom: Int, into canvas: Canvas) {
        let count = bottom - rows.lowerBound
        guard count > 0 else { return }
        let plane = rows.count * width, done = count * width
        precondition(
            total[0..<done].allSatisfy { $0 > 0 },
            "rows \(rows.lowerBound)..<\(bottom) have pixels outside every tile's result")
        let out = Tensor(channels: channels, height: count, width: width)
        out.withUnsafeMutableBufferPointer { out in
            for c in 0..<channels {
                for i in 0..<done { out[c * done + i] = mean[c * plane + i] }
            }
        }
        canvas.write(out, at: PixelRect(x: 0, y: rows.lowerBound, width: width, height: count))
        var rest = BlendBand(channels: channels, width: width, rows: bottom..<rows.upperBound)
        let restPlane = rest.rows.count * width
        rest.total.replaceSubrange(0..<restPlane, with: total[done..<plane])
        for c in 0..<channels {
            rest.mean.replaceSubrange(
                c * restPlane..<(c + 1) * restPlane, with: mean[c * plane + done..<(c + 1) * plane])
        }
        self = rest
    }
}

/// The buffers one fold lends its threads: each thread writes only its own rows' pixels.
private struct UnsafeBuffers: @unchecked Sendable {
    let source: UnsafeBufferPointer<Float>
    let mean: UnsafeMutableBufferPointer<Float>
    let total: UnsafeMutableBufferPointer<Float>
}
