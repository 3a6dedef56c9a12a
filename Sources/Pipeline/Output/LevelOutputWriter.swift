import ImageIO
import Semantics
import Tensor

/// Writes the final level from its canvas, one rectangle at a time (DESIGN.md §2): as a tiled
/// BigTIFF with its reduced-resolution pyramid (built by `TiledTIFFWriter` as the tiles arrive,
/// so neither the image nor a level is held), or as a PNG when the user asks for one and the
/// image is small enough to hold. Samples are clamped to 0…1 and written at `bitDepth`: 16 bits
/// when the content was 16-bit (`LevelContentSource.bitDepth`), so no precision is lost.
public enum LevelOutputWriter {
    public enum Format: String, Sendable, CaseIterable {
        case tiff, png
    }

    /// The largest PNG written, in pixels: a PNG is encoded from memory, so its RGB floats and its
    /// interleaved samples are held at once (64 Mi pixels: about 1 GB). Larger outputs are TIFF.
    public static let pngPixelLimit = ImageLimits.default.maxInMemoryPixels

    /// Writes the RGB `canvas` (3 × H × W, 0…1) to `path`.
    /// - Parameters:
    ///   - tileSize: the TIFF's tile side (a multiple of 16); its pyramid halves the image until
    ///     it fits one tile.
    ///   - pngPixelLimit: the largest PNG, in pixels.
    /// - Throws: `ImageIOError.invalidRequest` for a PNG above `pngPixelLimit` (naming the limit);
    ///   `.encode` or `.io` when the file cannot be written (a partial file is removed).
    public static func write(
        _ canvas: any Canvas, to path: String, format: Format, bitDepth: BitDepth, tileSize: Int = 256,
        pngPixelLimit: Int = LevelOutputWriter.pngPixelLimit
    ) throws {
        precondition(canvas.channels == 3, "the output canvas is RGB, not \(canvas.channels) channels")
        switch format {
        case .png: try writePNG(canvas, to: path, bitDepth: bitDepth, limit: pngPixelLimit)
        case .tiff: try writeTIFF(canvas, to: path, bitDepth: bitDepth, tileSize: tileSize)
        }
    }

    private static func writeTIFF(_ canvas: any Canvas, to path: String, bitDepth: BitDepth, tileSize: Int) throws {
        let levels = TiledTIFFWriter.Options.automaticPyramidLevels(
            width: canvas.width, height: canvas.height, tileSize: tileSize)
        try TiledTIFFWriter.write(
            to: path, width: canvas.width, height: canvas.height, layout: .rgb, bitDepth: bitDepth,
            options: .init(tileSize: tileSize, pyramidLevels: levels)
        ) { writer in
            for row in 0..<writer.tileRows {
                for column in 0..<writer.tileColumns {
                    let rect = writer.tileRect(column: column, row: row)
                    try writer.write(Raster.rgb(read(rect, of: canvas), bitDepth: bitDepth), column: column, row: row)
                }
            }
        }
    }

    private static func writePNG(_ canvas: any Canvas, to path: String, bitDepth: BitDepth, limit: Int) throws {
        guard canvas.width * canvas.height <= limit else {
            throw ImageIOError.invalidRequest(
                path: path,
                reason: "a \(canvas.width)x\(canvas.height) PNG is above the PNG output limit of \(limit)"
                    + " pixels; write a tiled TIFF instead")
        }
        let whole = read(PixelRect(width: canvas.width, height: canvas.height), of: canvas)
        try PNGFile.write(Raster.rgb(whole, bitDepth: bitDepth), to: path)
    }

    private static func read(_ rect: PixelRect, of canvas: any Canvas) -> Tensor {
        let pixels = Tensor(channels: canvas.channels, height: rect.height, width: rect.width)
        canvas.read(rect, into: pixels)
        return pixels
    }
}
