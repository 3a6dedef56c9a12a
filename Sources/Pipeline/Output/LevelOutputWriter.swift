import ImageIO
import Semantics
import Tensor

/// Writes the final level from its canvas (DESIGN.md §2): as a tiled BigTIFF with its
/// reduced-resolution pyramid, one tile at a time (built by `TiledTIFFWriter` as the tiles
/// arrive, so neither the image nor a level is held), or as a PNG, JPEG or WebP when the user
/// asks for one and the image is small enough to hold. Samples are clamped to 0…1 and written at
/// `bitDepth` where the format keeps it (PNG and TIFF: 16 bits when the content was 16-bit,
/// `LevelContentSource.bitDepth`, so no precision is lost); JPEG and WebP are 8-bit.
public enum LevelOutputWriter {
    public typealias Format = OutputFormat

    /// The largest PNG, JPEG or WebP written, in pixels: those are encoded from memory, so their
    /// RGB floats and interleaved samples are held at once (64 Mi pixels: about 1 GB). Larger
    /// outputs are TIFF.
    public static let pngPixelLimit = ImageLimits.default.maxInMemoryPixels

    /// Writes the RGB `canvas` (3 × H × W, 0…1) to `path`.
    /// - Parameters:
    ///   - tileSize: the TIFF's tile side (a multiple of 16); its pyramid halves the image until
    ///     it fits one tile.
    ///   - pngPixelLimit: the largest image encoded from memory (PNG, JPEG, WebP), in pixels.
    ///   - quality: JPEG's and WebP's quality (nil: the format's default).
    ///   - finish: what becomes of each tile's colours before it is written (nil: the canvas's).
    /// - Throws: `ImageIOError.invalidRequest` for an in-memory format above `pngPixelLimit`
    ///   (naming the limit); `.encode` or `.io` when the file cannot be written (a partial TIFF is
    ///   removed).
    public static func write(
        _ canvas: any Canvas, to path: String, format: Format, bitDepth: BitDepth, tileSize: Int = 256,
        pngPixelLimit: Int = LevelOutputWriter.pngPixelLimit, quality: Int? = nil, finish: OutputFinish? = nil
    ) throws {
        precondition(canvas.channels == 3, "the output canvas is RGB, not \(canvas.channels) channels")
        let read = { (rect: PixelRect) throws -> Tensor in
            let pixels = Self.read(rect, of: canvas)
            return try finish?.apply(to: pixels, at: rect) ?? pixels
        }
        switch format {
        case .tiff: try writeTIFF(canvas, to: path, bitDepth: bitDepth, tileSize: tileSize, read: read)
        case .png, .jpeg, .webp:
            try writeWhole(
                canvas, to: path, format: format, bitDepth: bitDepth, limit: pngPixelLimit, quality: quality, read: read)
        }
    }

    private static func writeTIFF(
        _ canvas: any Canvas, to path: String, bitDepth: BitDepth, tileSize: Int, read: (PixelRect) throws -> Tensor
    ) throws {
        let levels = TiledTIFFWriter.Options.automaticPyramidLevels(
            width: canvas.width, height: canvas.height, tileSize: tileSize)
        try TiledTIFFWriter.write(
            to: path, width: canvas.width, height: canvas.height, layout: .rgb, bitDepth: bitDepth,
            options: .init(tileSize: tileSize, pyramidLevels: levels)
        ) { writer in
            for row in 0..<writer.tileRows {
                for column in 0..<writer.tileColumns {
                    let rect = writer.tileRect(column: column, row: row)
                    try writer.write(Raster.rgb(read(rect), bitDepth: bitDepth), column: column, row: row)
                }
            }
        }
    }

    private static func writeWhole(
        _ canvas: any Canvas, to path: String, format: Format, bitDepth: BitDepth, limit: Int, quality: Int?,
        read: (PixelRect) throws -> Tensor
    ) throws {
        guard canvas.width * canvas.height <= limit else {
            throw ImageIOError.invalidRequest(
                path: path,
                reason: "a \(canvas.width)x\(canvas.height) \(format.name) is above the \(format.name) output limit"
                    + " of \(limit) pixels; write a tiled TIFF instead")
        }
        let whole = try read(PixelRect(x: 0, y: 0, width: canvas.width, height: canvas.height))
        let depth = format.keepsSixteenBits ? bitDepth : .eight
        try ImageWriter.write(
            Raster.rgb(whole, bitDepth: depth), to: path, format: format, options: .init(quality: quality))
    }

    private static func read(_ rect: PixelRect, of canvas: any Canvas) -> Tensor {
        let pixels = Tensor(channels: canvas.channels, height: rect.height, width: rect.width)
        canvas.read(rect, into: pixels)
        return pixels
    }
}
