import ImageIO
import Tensor

/// A run's current level seen small: the level's pixels averaged over `factor`×`factor` blocks
/// (the smallest power of two that brings the long side to `maximumSide` or less), 8-bit RGB.
/// It is what the live view shows instead of the canvas itself, so a gigapixel level costs a
/// few megabytes here whatever its size (the canvas stays in the run's store).
struct LiveOverview {
    let levelWidth: Int
    let levelHeight: Int
    let factor: Int
    private(set) var raster: Raster

    init(levelWidth: Int, levelHeight: Int, maximumSide: Int) {
        precondition(levelWidth > 0 && levelHeight > 0 && maximumSide > 0)
        var factor = 1
        while (max(levelWidth, levelHeight) + factor - 1) / factor > maximumSide { factor *= 2 }
        self.levelWidth = levelWidth
        self.levelHeight = levelHeight
        self.factor = factor
        let size = AreaDownsampling.outputSize(of: PixelSize(width: levelWidth, height: levelHeight), factor: factor)
        raster = Raster(width: size.width, height: size.height, layout: .rgb, bitDepth: .eight, fill: 0.1)
    }

    /// The overview of a new level, started from `previous` stretched to its size (the level's
    /// canvas starts as the level below enlarged), nearest pixel.
    init(levelWidth: Int, levelHeight: Int, maximumSide: Int, startingFrom previous: LiveOverview) {
        self.init(levelWidth: levelWidth, levelHeight: levelHeight, maximumSide: maximumSide)
        let source = previous.raster
        for channel in 0..<3 {
            for y in 0..<raster.height {
                let sourceY = min(source.height - 1, y * source.height / raster.height)
                for x in 0..<raster.width {
                    let sourceX = min(source.width - 1, x * source.width / raster.width)
                    raster[x, y, channel] = source[sourceX, sourceY, channel]
                }
            }
        }
    }

    /// Paints the level pixels `pixels` (RGB, 3 × rect.height × rect.width, values in 0…1) of
    /// `rect` (level coordinates): every overview pixel whose block meets `rect` becomes the mean
    /// of the block's pixels inside `rect`, rounded to 8 bits.
    mutating func paint(_ pixels: Tensor, at rect: PixelRect) {
        precondition(pixels.channels >= 3 && pixels.height == rect.height && pixels.width == rect.width)
        let clipped = rect.intersection(PixelRect(width: levelWidth, height: levelHeight))
        guard clipped.width > 0, clipped.height > 0 else { return }
        let (firstX, lastX) = (clipped.x / factor, (clipped.x + clipped.width - 1) / factor)
        let (firstY, lastY) = (clipped.y / factor, (clipped.y + clipped.height - 1) / factor)
        let plane = rect.width * rect.height
        pixels.withUnsafeBufferPointer { values in
            for blockY in firstY...lastY {
                let rows = max(blockY * factor, clipped.y)..<min((blockY + 1) * factor, clipped.y + clipped.height)
                for blockX in firstX...lastX {
                    let columns =
                        max(blockX * factor, clipped.x)..<min((blockX + 1) * factor, clipped.x + clipped.width)
                    for channel in 0..<3 {
                        var sum = 0.0
                        for y in rows {
                            let row = channel * plane + (y - rect.y) * rect.width - rect.x
                            for x in columns { sum += Double(values[row + x]) }
                        }
                        let mean = sum / Double(rows.count * columns.count)
                        raster[blockX, blockY, channel] = Float((min(max(mean, 0), 1) * 255).rounded()) / 255
                    }
                }
            }
        }
    }
}
