import ArgumentParser
import ImageIO

/// `atelier make-test-image` (hidden, for benchmarks and tests): writes a deterministic tiled
/// BigTIFF of any size with the tiled writer, tile by tile, so that a gigapixel file can be made
/// in bounded memory. The pattern is smooth gradients plus a tile-dependent offset: compressible,
/// but not constant, so decoders do real work.
struct MakeTestImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-test-image",
        abstract: "Write a deterministic tiled BigTIFF test pattern (for benchmarks).",
        shouldDisplay: false)

    @Option(help: "Width in pixels.") var width: Int
    @Option(help: "Height in pixels.") var height: Int
    @Option(help: "Channels: 1 to 4 (gray, gray+alpha, RGB, RGBA).") var channels = 3
    @Option(help: "Bits per sample: 8 or 16.") var bits = 8
    @Option(help: "Tile size in pixels (a multiple of 16).") var tileSize = 256
    @Option(help: "Reduced pyramid levels; -1 for enough to fit one tile.") var pyramidLevels = 0
    @Option(help: "The output file.") var out: String

    func validate() throws {
        guard width > 0, height > 0 else { throw ValidationError("--width and --height must be positive") }
        guard ChannelLayout(channelCount: channels) != nil else { throw ValidationError("--channels must be 1 to 4") }
        guard BitDepth(rawValue: bits) != nil else { throw ValidationError("--bits must be 8 or 16") }
    }

    func run() throws {
        let layout = ChannelLayout(channelCount: channels)!
        let levels =
            pyramidLevels >= 0
            ? pyramidLevels
            : TiledTIFFWriter.Options.automaticPyramidLevels(width: width, height: height, tileSize: tileSize)
        let options = TiledTIFFWriter.Options(tileSize: tileSize, pyramidLevels: levels)
        let (width, height) = (width, height)
        try TiledTIFFWriter.write(
            to: out, width: width, height: height, layout: layout, bitDepth: BitDepth(rawValue: bits)!, options: options
        ) { writer in
            for row in 0..<writer.tileRows {
                for column in 0..<writer.tileColumns {
                    let rect = writer.tileRect(column: column, row: row)
                    let tile = Self.pattern(
                        rect, column: column, row: row, layout: layout, imageWidth: width, imageHeight: height)
                    try writer.write(tile, column: column, row: row)
                }
            }
        }
    }

    /// Smooth gradients over the image plus an offset that changes from tile to tile, wrapped to 0…1.
    static func pattern(
        _ rect: PixelRect, column: Int, row: Int, layout: ChannelLayout, imageWidth: Int, imageHeight: Int
    )
        -> Raster
    {
        var samples = [Float](repeating: 0, count: rect.pixelCount * layout.channelCount)
        samples.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            for channel in 0..<layout.channelCount {
                let offset = Float((column * 7 + row * 3 + channel) % 16) / 64
                for y in rect.y..<rect.maxY {
                    let rowValue = Float(y) / Float(imageHeight) * 0.25 + offset
                    for x in rect.x..<rect.maxX {
                        let value = Float(x) / Float(imageWidth) * 0.5 + rowValue
                        buffer[index] = value - value.rounded(.down)
                        index += 1
                    }
                }
            }
        }
        return Raster(width: rect.width, height: rect.height, layout: layout, samples: samples)
    }
}
