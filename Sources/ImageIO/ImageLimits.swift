/// Limits that keep a hostile or huge file from exhausting memory.
public struct ImageLimits: Sendable, Equatable {
    /// The largest number of pixels decoded into one `Raster` (a whole PNG, or one region of a
    /// TIFF). A file whose header claims more is refused with `ImageIOError.tooLarge` before any
    /// allocation; huge images are meant to be read by region from tiled TIFF.
    public var maxInMemoryPixels: Int

    /// The largest single allocation libtiff may make while decoding one strip or tile
    /// (`TIFFOpenOptionsSetMaxSingleMemAlloc`), so a corrupt byte count cannot ask for gigabytes.
    public var maxChunkBytes: Int

    /// The pixels per region of a pass over a whole image (`ImageSource.readingRegions`): tall
    /// strips are read in bands of rows below this, so such a pass holds little beyond one chunk.
    public var regionPixels: Int

    public init(maxInMemoryPixels: Int = 1 << 26, maxChunkBytes: Int = 1 << 28, regionPixels: Int = 1 << 20) {
        self.maxInMemoryPixels = maxInMemoryPixels
        self.maxChunkBytes = maxChunkBytes
        self.regionPixels = regionPixels
    }

    public static let `default` = ImageLimits()

    /// Throws `.tooLarge` when `width`×`height` is above `maxInMemoryPixels`.
    func check(width: Int, height: Int, path: String) throws {
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxInMemoryPixels {
            throw ImageIOError.tooLarge(path: path, width: width, height: height, limit: maxInMemoryPixels)
        }
    }
}
