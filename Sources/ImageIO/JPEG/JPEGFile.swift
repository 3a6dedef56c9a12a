internal import CImageShims

/// JPEG read and write through libjpeg-turbo (via the setjmp-guarded shims in `CImageShims`).
/// Reads 8-bit grey and YCbCr/RGB files, baseline or progressive, turned by their Exif
/// orientation; CMYK files are refused.
public enum JPEGFile {
    /// The quality used when none is given: high enough that a painting's texture survives.
    public static let defaultQuality = 92

    /// Decodes the whole file, turned by its Exif orientation (see `JPEGReader`).
    public static func read(path: String, limits: ImageLimits = .default) throws -> Raster {
        try JPEGReader(path: path, limits: limits).readAll()
    }

    /// Writes `raster` as an 8-bit JPEG at `quality` (1…100) (`CImageShims_jpeg_write`): grey
    /// stays grey, colour is RGB; JPEG has no alpha, so an alpha channel is dropped.
    /// - Throws: `.encode` for a side above 65500 pixels (JPEG's limit), a quality outside 1…100,
    ///   or when libjpeg or the file fails.
    public static func write(_ raster: Raster, to path: String, quality: Int = defaultQuality) throws {
        try LossyEncoding.check(raster, quality: quality, format: .jpeg, path: path)
        let colour = raster.colour()
        let bytes = colour.interleaved8()
        let rowBytes = colour.width * colour.channelCount
        try bytes.withUnsafeBufferPointer { pixels in
            try JPEGShim.call(path: path, .writing) {
                CImageShims_jpeg_write(
                    path, UInt32(colour.width), UInt32(colour.height), Int32(colour.channelCount), Int32(quality),
                    pixels.baseAddress, rowBytes, $0, $1)
            }
        }
    }
}
