internal import CTIFF
import Foundation

/// Writes an image held in memory as a plain TIFF in strips (Deflate with the horizontal
/// predictor, no pyramid): what most tools open, for outputs too small to need
/// `TiledTIFFWriter`'s tiles and pyramid. Classic TIFF while the samples fit comfortably in its
/// 4 GiB of offsets, BigTIFF beyond.
public enum StripTIFFWriter {
    /// Uncompressed bytes per strip: libtiff's advice is about 8 KiB; larger strips compress a
    /// little better and cost nothing for an image already in memory.
    static let stripBytes = 1 << 16

    /// Writes `raster` at its own bit depth and layout; a partial file is removed on failure.
    /// - Throws: `.encode` (or `.io`) when libtiff or the file fails.
    public static func write(_ raster: Raster, to path: String, limits: ImageLimits = .default) throws {
        let rowBytes = raster.width * raster.channelCount * raster.bitDepth.bytesPerSample
        let bigTIFF = rowBytes * raster.height > 3 << 30
        let handle = try TIFFHandle(path: path, mode: bigTIFF ? "w8" : "w", limits: limits)
        do {
            let rowsPerStrip = max(1, stripBytes / max(rowBytes, 1))
            try handle.setImageFields(
                width: raster.width, height: raster.height, layout: raster.layout, bitDepth: raster.bitDepth)
            try handle.setField(TIFFTAG_ROWSPERSTRIP, UInt32(rowsPerStrip))
            for (strip, top) in stride(from: 0, to: raster.height, by: rowsPerStrip).enumerated() {
                let rect = PixelRect(x: 0, y: top, width: raster.width, height: min(rowsPerStrip, raster.height - top))
                try writeStrip(strip, rect: rect, of: raster, to: handle)
            }
            try handle.check("TIFFWriteDirectory") { TIFFWriteDirectory($0) }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Quantises the rows of `rect` and writes them with `TIFFWriteEncodedStrip`.
    private static func writeStrip(_ strip: Int, rect: PixelRect, of raster: Raster, to handle: TIFFHandle) throws {
        let grid = SampleGrid(interleaved: rect, channels: raster.channelCount)
        let count = rect.width * rect.height * raster.channelCount * raster.bitDepth.bytesPerSample
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            switch raster.bitDepth {
            case .eight:
                raster.exportSamples(into: buffer.bindMemory(to: UInt8.self), grid: grid, region: rect, origin: (0, 0))
            case .sixteen:
                raster.exportSamples(into: buffer.bindMemory(to: UInt16.self), grid: grid, region: rect, origin: (0, 0))
            }
        }
        try bytes.withUnsafeMutableBytes { buffer in
            _ = try handle.call("TIFFWriteEncodedStrip", failsWhen: { $0 < 0 }) { tiff in
                TIFFWriteEncodedStrip(tiff, UInt32(strip), buffer.baseAddress, tmsize_t(buffer.count))
            }
        }
    }
}
