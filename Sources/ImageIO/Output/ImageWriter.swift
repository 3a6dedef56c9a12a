/// Writes an image held in memory in the format its caller chose (`OutputFormat`, usually from
/// the output's extension).
public enum ImageWriter {
    /// How to write: the lossy formats' quality, and TIFF's layout.
    public struct Options: Sendable, Equatable {
        /// 1…100 for JPEG and WebP (100 is lossless WebP); nil for the format's default. PNG and
        /// TIFF ignore it (they are lossless).
        public var quality: Int?
        /// A TIFF as a tiled BigTIFF with a reduced-resolution pyramid (for viewers of large
        /// images) rather than a plain TIFF in strips.
        public var tiled: Bool

        public init(quality: Int? = nil, tiled: Bool = false) {
            self.quality = quality
            self.tiled = tiled
        }
    }

    /// The side of a tiled TIFF's tiles.
    public static let tileSize = 256

    /// Writes `raster` to `path` as `format`: PNG and TIFF at the raster's own depth, JPEG and
    /// WebP at 8 bits (JPEG without alpha).
    /// - Throws: `.encode` or `.io` when the file cannot be written.
    public static func write(
        _ raster: Raster, to path: String, format: OutputFormat, options: Options = .init()
    ) throws {
        switch format {
        case .png: try PNGFile.write(raster, to: path)
        case .jpeg: try JPEGFile.write(raster, to: path, quality: options.quality ?? JPEGFile.defaultQuality)
        case .webp: try WebPFile.write(raster, to: path, quality: options.quality ?? WebPFile.defaultQuality)
        case .tiff where !options.tiled: try StripTIFFWriter.write(raster, to: path)
        case .tiff: try writeTiled(raster, to: path)
        }
    }

    /// A tiled BigTIFF with the pyramid that halves the image until it fits one tile.
    private static func writeTiled(_ raster: Raster, to path: String) throws {
        let levels = TiledTIFFWriter.Options.automaticPyramidLevels(
            width: raster.width, height: raster.height, tileSize: tileSize)
        try TiledTIFFWriter.write(
            to: path, width: raster.width, height: raster.height, layout: raster.layout, bitDepth: raster.bitDepth,
            options: .init(tileSize: tileSize, pyramidLevels: levels)
        ) { writer in
            for row in 0..<writer.tileRows {
                for column in 0..<writer.tileColumns {
                    try writer.write(
                        raster.cropped(to: writer.tileRect(column: column, row: row)), column: column, row: row)
                }
            }
        }
    }
}
