/// Where integer samples sit in a decoder's or encoder's buffer: rows of `width` pixels, each
/// pixel `samplesPerPixel` interleaved values, the buffer's top-left pixel at (`originX`,
/// `originY`) in image coordinates. Sample `s` of a pixel belongs to raster channel
/// `firstChannel + s`: an interleaved buffer has `firstChannel` 0 and all channels; one plane of a
/// planar TIFF has `samplesPerPixel` 1 and `firstChannel` the plane's index.
struct SampleGrid {
    var originX: Int
    var originY: Int
    var width: Int
    var samplesPerPixel: Int
    var firstChannel: Int = 0

    /// An interleaved buffer that holds exactly `rect`.
    init(interleaved rect: PixelRect, channels: Int) {
        self.init(originX: rect.x, originY: rect.y, width: rect.width, samplesPerPixel: channels)
    }

    init(originX: Int, originY: Int, width: Int, samplesPerPixel: Int, firstChannel: Int = 0) {
        self.originX = originX
        self.originY = originY
        self.width = width
        self.samplesPerPixel = samplesPerPixel
        self.firstChannel = firstChannel
    }
}

extension Raster {
    /// Converts the integer samples of `region` from `buffer` (laid out as `grid`) into this
    /// raster, whose top-left pixel is at `origin` in image coordinates. `region` must lie inside
    /// both the buffer's rows and this raster. Values are scaled by 1 / `bitDepth.maxValue`.
    mutating func importSamples<Sample: FixedWidthInteger & UnsignedInteger>(
        from buffer: UnsafeBufferPointer<Sample>, grid: SampleGrid, region: PixelRect, origin: (x: Int, y: Int)
    ) {
        let scale = 1 / Float(bitDepth.maxValue)
        let planeSize = self.planeSize
        let rasterWidth = width
        samples.withUnsafeMutableBufferPointer { planes in
            for sample in 0..<grid.samplesPerPixel {
                let channel = grid.firstChannel + sample
                guard channel < layout.channelCount else { continue }
                for row in region.y..<region.maxY {
                    var from =
                        ((row - grid.originY) * grid.width + (region.x - grid.originX)) * grid.samplesPerPixel + sample
                    var to = channel * planeSize + (row - origin.y) * rasterWidth + (region.x - origin.x)
                    for _ in 0..<region.width {
                        planes[to] = Float(buffer[from]) * scale
                        from += grid.samplesPerPixel
                        to += 1
                    }
                }
            }
        }
    }

    /// The reverse of `importSamples`: quantises `region` of this raster (top-left at `origin`)
    /// into `buffer`, clamping to 0…1 and rounding to the nearest stored value.
    func exportSamples<Sample: FixedWidthInteger & UnsignedInteger>(
        into buffer: UnsafeMutableBufferPointer<Sample>, grid: SampleGrid, region: PixelRect, origin: (x: Int, y: Int)
    ) {
        let maxValue = Float(bitDepth.maxValue)
        samples.withUnsafeBufferPointer { planes in
            for sample in 0..<grid.samplesPerPixel {
                let channel = grid.firstChannel + sample
                guard channel < layout.channelCount else { continue }
                for row in region.y..<region.maxY {
                    var from = channel * planeSize + (row - origin.y) * width + (region.x - origin.x)
                    var to =
                        ((row - grid.originY) * grid.width + (region.x - grid.originX)) * grid.samplesPerPixel + sample
                    for _ in 0..<region.width {
                        let value = planes[from]
                        // NaN would trap in the integer conversion; it is written as 0.
                        let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
                        buffer[to] = Sample((clamped * maxValue).rounded())
                        from += 1
                        to += grid.samplesPerPixel
                    }
                }
            }
        }
    }
}
