import Foundation

/// WebP read and write through libwebp (`WebPCodec`).
public enum WebPFile {
    /// The quality used when none is given (libwebp's `cwebp` default is 75; photographs that are
    /// paintings keep their brush strokes better at 90).
    public static let defaultQuality = 90

    /// Decodes the whole file, turned by its Exif orientation (see `WebPReader`).
    public static func read(path: String, limits: ImageLimits = .default) throws -> Raster {
        try WebPReader(path: path, limits: limits).readAll()
    }

    /// Writes `raster` as a still WebP at 8 bits: lossy at `quality` (1…99), lossless at 100.
    /// Grey is written as RGB (WebP has no grey mode); alpha is kept.
    /// - Throws: `.encode` for a side above 16383 pixels (WebP's limit), a quality outside 1…100,
    ///   or when the file cannot be written.
    public static func write(_ raster: Raster, to path: String, quality: Int = defaultQuality) throws {
        try LossyEncoding.check(raster, quality: quality, format: .webp, path: path)
        let alpha = raster.layout.hasAlpha
        let colour = raster.expandingGrey()
        let data = try WebPCodec.encode(
            colour.interleaved8(), width: raster.width, height: raster.height, alpha: alpha, quality: quality,
            lossless: quality == 100, path: path)
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw ImageIOError.encode(path: path, reason: error.localizedDescription)
        }
    }
}
