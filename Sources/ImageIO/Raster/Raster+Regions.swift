extension Raster {
    /// The pixels of `rect` (in this raster's coordinates; it must lie inside `bounds`).
    public func cropped(to rect: PixelRect) -> Raster {
        precondition(bounds.contains(rect), "crop \(rect) is outside the raster \(bounds)")
        var result = Raster(width: rect.width, height: rect.height, layout: layout, bitDepth: bitDepth)
        result.copyRows(from: self, sourceRect: rect, to: 0, 0)
        return result
    }

    /// Copies all of `source` into this raster with its top-left corner at (`x`, `y`); the
    /// part that falls outside this raster is dropped. Layouts must match.
    public mutating func paste(_ source: Raster, atX x: Int, y: Int) {
        precondition(source.layout == layout, "paste needs the same channel layout")
        let target = bounds.intersection(PixelRect(x: x, y: y, width: source.width, height: source.height))
        if target.isEmpty { return }
        copyRows(from: source, sourceRect: target.offsetBy(dx: -x, dy: -y), to: target.x, target.y)
    }

    /// Copies `sourceRect` of `source` row by row to (`x`, `y`) of every plane.
    private mutating func copyRows(from source: Raster, sourceRect: PixelRect, to x: Int, _ y: Int) {
        let count = sourceRect.width
        let (channels, planeSize, width) = (channelCount, self.planeSize, self.width)
        source.samples.withUnsafeBufferPointer { from in
            samples.withUnsafeMutableBufferPointer { to in
                for channel in 0..<channels {
                    for row in 0..<sourceRect.height {
                        let fromStart = channel * source.planeSize + (sourceRect.y + row) * source.width + sourceRect.x
                        let toStart = channel * planeSize + (y + row) * width + x
                        (to.baseAddress! + toStart).update(from: from.baseAddress! + fromStart, count: count)
                    }
                }
            }
        }
    }
}
