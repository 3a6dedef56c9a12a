/// Area (box) downsampling by an integer factor: each output pixel is the mean of the
/// `factor`×`factor` input block it covers; blocks cut by the right or bottom edge average the
/// pixels they have, so the output is ⌈width / factor⌉ × ⌈height / factor⌉. Alpha is averaged
/// like any channel.
public enum AreaDownsampling {
    /// The output size for an input of `size`.
    public static func outputSize(of size: PixelSize, factor: Int) -> PixelSize {
        PixelSize(width: (size.width + factor - 1) / factor, height: (size.height + factor - 1) / factor)
    }

    /// The input rectangle that output rectangle `output` needs (STYLE.md §5): its blocks,
    /// clipped to the input's `sourceSize`.
    public static func inputRect(for output: PixelRect, factor: Int, sourceSize: PixelSize) -> PixelRect {
        PixelRect(
            x: output.x * factor, y: output.y * factor, width: output.width * factor, height: output.height * factor
        )
        .intersection(PixelRect(width: sourceSize.width, height: sourceSize.height))
    }

    /// Downsamples a raster whose top-left pixel sits on a block corner (a multiple of `factor`
    /// in the whole image), as `inputRect(for:…)` returns.
    public static func downsample(_ input: Raster, factor: Int) -> Raster {
        precondition(factor >= 1, "the factor must be positive")
        let size = outputSize(of: PixelSize(width: input.width, height: input.height), factor: factor)
        var output = Raster(width: size.width, height: size.height, layout: input.layout, bitDepth: input.bitDepth)
        let outputPlaneSize = output.planeSize
        input.samples.withUnsafeBufferPointer { from in
            output.samples.withUnsafeMutableBufferPointer { to in
                for channel in 0..<input.channelCount {
                    let inputPlane = channel * input.planeSize
                    let outputPlane = channel * outputPlaneSize
                    for outY in 0..<size.height {
                        let rows = outY * factor..<min(outY * factor + factor, input.height)
                        for outX in 0..<size.width {
                            let columns = outX * factor..<min(outX * factor + factor, input.width)
                            var sum: Float = 0
                            for y in rows {
                                let rowStart = inputPlane + y * input.width
                                for x in columns { sum += from[rowStart + x] }
                            }
                            to[outputPlane + outY * size.width + outX] = sum / Float(rows.count * columns.count)
                        }
                    }
                }
            }
        }
        return output
    }

    /// Halves a raster (the pyramid step).
    public static func halved(_ input: Raster) -> Raster { downsample(input, factor: 2) }

    /// Downsamples all of `source` without holding it: output tiles of `tileSize` are produced
    /// in row-major order, each from a region read of just the input it needs, and handed to
    /// `sink` with their rectangle in the output image. Feeding a `TiledTIFFWriter` this way
    /// builds a level of any size in bounded memory.
    public static func stream(
        _ source: any ImageSource, factor: Int, tileSize: Int, _ sink: (Raster, PixelRect) throws -> Void
    ) throws {
        let sourceSize = PixelSize(width: source.info.width, height: source.info.height)
        let size = outputSize(of: sourceSize, factor: factor)
        for tile in PixelRect(width: size.width, height: size.height).tiles(width: tileSize, height: tileSize) {
            let input = try source.read(region: inputRect(for: tile, factor: factor, sourceSize: sourceSize))
            try sink(downsample(input, factor: factor), tile)
        }
    }
}
