internal import CTIFF

/// The shape of one tiled directory that Atelier writes: chunky, Deflate with the horizontal
/// predictor, unsigned 8/16-bit samples, square tiles, unassociated alpha as the extra sample.
/// Shared by the full-resolution image and every pyramid level so their tiles can be copied raw.
struct TiledTIFFFormat {
    var width: Int
    var height: Int
    var layout: ChannelLayout
    var bitDepth: BitDepth
    var tileSize: Int

    var grid: RegionGrid { PixelRect(width: width, height: height).tiles(width: tileSize, height: tileSize) }
    var columns: Int { grid.columns }
    var rows: Int { grid.rows }
    var tileCount: Int { columns * rows }
    /// Bytes of one full (padded) tile.
    var tileBytes: Int { tileSize * tileSize * layout.channelCount * bitDepth.bytesPerSample }

    /// The tile's rectangle clipped to the image.
    func rect(column: Int, row: Int) -> PixelRect { grid.cell(column: column, row: row) }

    /// The same format halved (rounding up), for the next pyramid level.
    func halved() -> TiledTIFFFormat {
        TiledTIFFFormat(
            width: (width + 1) / 2, height: (height + 1) / 2, layout: layout, bitDepth: bitDepth, tileSize: tileSize)
    }

    /// Sets the directory's tags on a write handle (`TIFFSetField` through `TIFFVSetField`).
    /// - Parameter reduced: NewSubfileType = reduced-resolution image, for pyramid levels.
    func apply(to handle: TIFFHandle, reduced: Bool) throws {
        try handle.setField(TIFFTAG_SUBFILETYPE, UInt32(reduced ? FILETYPE_REDUCEDIMAGE : 0))
        try handle.setImageFields(width: width, height: height, layout: layout, bitDepth: bitDepth)
        try handle.setField(TIFFTAG_TILEWIDTH, UInt32(tileSize))
        try handle.setField(TIFFTAG_TILELENGTH, UInt32(tileSize))
    }

    /// Encodes `tile` (the clipped rectangle of tile `column`, `row`) and writes it with
    /// `TIFFWriteEncodedTile`; an edge tile is padded with zeros to the full tile size.
    func write(_ tile: Raster, column: Int, row: Int, to handle: TIFFHandle) throws {
        var raster = tile
        raster.bitDepth = bitDepth  // quantise at the file's depth, whatever the source depth
        let rect = rect(column: column, row: row)
        let grid = SampleGrid(originX: rect.x, originY: rect.y, width: tileSize, samplesPerPixel: layout.channelCount)
        var bytes = [UInt8](repeating: 0, count: tileBytes)
        bytes.withUnsafeMutableBytes { buffer in
            switch bitDepth {
            case .eight:
                raster.exportSamples(
                    into: buffer.bindMemory(to: UInt8.self), grid: grid, region: rect, origin: (rect.x, rect.y))
            case .sixteen:
                raster.exportSamples(
                    into: buffer.bindMemory(to: UInt16.self), grid: grid, region: rect, origin: (rect.x, rect.y))
            }
        }
        try bytes.withUnsafeMutableBytes { buffer in
            _ = try handle.call("TIFFWriteEncodedTile", failsWhen: { $0 < 0 }) { tiff in
                TIFFWriteEncodedTile(
                    tiff, TIFFComputeTile(tiff, UInt32(rect.x), UInt32(rect.y), 0, 0), buffer.baseAddress,
                    tmsize_t(buffer.count))
            }
        }
    }
}
