import ImageIO

/// Nearest-neighbour resampling of labels: a label is a name, never averaged (DESIGN.md §2: maps
/// of any resolution are resampled with nearest neighbour).
extension LabelMap {
    /// The map at `width × height`, each output pixel taking the label under its centre (pixel
    /// centres at half-integers, as `Resample` in the engine).
    public func resized(width newWidth: Int, height newHeight: Int) -> LabelMap {
        precondition(newWidth > 0 && newHeight > 0, "resize to \(newWidth)×\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        let columns = (0..<newWidth).map { LabelMap.nearest($0, from: newWidth, to: width) }
        var resized = [Int32](repeating: 0, count: newWidth * newHeight)
        for y in 0..<newHeight {
            let sourceRow = LabelMap.nearest(y, from: newHeight, to: height) * width
            for x in 0..<newWidth { resized[y * newWidth + x] = labels[sourceRow + columns[x]] }
        }
        return LabelMap(width: newWidth, height: newHeight, count: count, labels: resized, palette: palette)
    }

    /// The rectangle `region` of the map resized to `width × height` (as `resized(width:height:)`
    /// then cropped, without making the whole resized map): how a label map of any size is
    /// streamed to a gigapixel content one rectangle at a time.
    public func resized(width newWidth: Int, height newHeight: Int, region: PixelRect) -> LabelMap {
        precondition(!region.isEmpty && PixelRect(width: newWidth, height: newHeight).contains(region),
                     "region \(region) of \(newWidth)x\(newHeight)")
        let columns = (region.x..<region.maxX).map { LabelMap.nearest($0, from: newWidth, to: width) }
        var resized = [Int32](repeating: 0, count: region.pixelCount)
        for row in 0..<region.height {
            let sourceRow = LabelMap.nearest(region.y + row, from: newHeight, to: height) * width
            for x in 0..<region.width { resized[row * region.width + x] = labels[sourceRow + columns[x]] }
        }
        return LabelMap(width: region.width, height: region.height, count: count, labels: resized, palette: palette)
    }

    /// The source index whose pixel contains the centre of output pixel `index`.
    static func nearest(_ index: Int, from outputSize: Int, to inputSize: Int) -> Int {
        min(inputSize - 1, Int((Double(index) + 0.5) * Double(inputSize) / Double(outputSize)))
    }
}
