internal import CTIFF
import Foundation

extension TIFFReader {
    /// Checks, without decoding, that every strip or tile of this image lies inside the file
    /// (`TIFFGetStrileOffset`, `TIFFGetStrileByteCount`): a cheap way to catch a truncated file
    /// before a long region-by-region pass, as `atelier info` does.
    /// - Throws: `.decode` naming the first strip or tile that is empty or runs past the end.
    public func verifyStorage() throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let fileSize = UInt64((attributes?[.size] as? Int) ?? 0)
        let tiff = handle.raw
        let count = directory.tiled ? TIFFNumberOfTiles(tiff) : TIFFNumberOfStrips(tiff)
        let kind = directory.tiled ? "tile" : "strip"
        for index in 0..<count {
            let offset = TIFFGetStrileOffset(tiff, index)
            let bytes = TIFFGetStrileByteCount(tiff, index)
            // Uncompressed data may be one short strip at the bottom, but never nothing.
            let (end, overflow) = offset.addingReportingOverflow(bytes)
            guard bytes > 0, !overflow, end <= fileSize else {
                throw ImageIOError.decode(
                    path: path,
                    reason: "\(kind) \(index) (\(bytes) bytes at offset \(offset)) is missing or runs past the end of"
                        + " the file (\(fileSize) bytes): truncated?")
            }
        }
        _ = handle.diagnostics.takeErrors()
    }
}
