internal import CImageShims

/// PNG read and write through libpng (via the setjmp-guarded shims in `CImageShims`).
/// Reads 8/16-bit gray, gray+alpha, RGB, RGBA and palette files, interlaced or not; palette and
/// low-bit gray come back expanded to 8 bits, a tRNS chunk as an alpha channel.
public enum PNGFile {
    /// Decodes the whole file into memory.
    /// - Throws: `.tooLarge` above `limits.maxInMemoryPixels` (checked from the header, before
    ///   decoding), `.decode` for a corrupt or truncated file, `.io` when it cannot be opened.
    public static func read(path: String, limits: ImageLimits = .default) throws -> Raster {
        try PNGDecoder(path: path).decode(limits: limits)
    }

    /// Writes `raster` as a non-interlaced PNG at its own `bitDepth` (`CImageShims_png_write`).
    public static func write(_ raster: Raster, to path: String) throws {
        let bytes: [UInt8]
        switch raster.bitDepth {
        case .eight: bytes = raster.interleaved8()
        case .sixteen: bytes = raster.interleaved16().withUnsafeBytes { Array($0) }
        }
        let rowBytes = raster.width * raster.channelCount * raster.bitDepth.bytesPerSample
        try bytes.withUnsafeBufferPointer { pixels in
            try PNGShim.call(path: path, .writing) {
                CImageShims_png_write(
                    path, UInt32(raster.width), UInt32(raster.height), Int32(raster.channelCount),
                    Int32(raster.bitDepth.rawValue), pixels.baseAddress, rowBytes, $0, $1)
            }
        }
    }
}
