internal import CTIFF
import Foundation

/// Builds one reduced level of a pyramid from the tiles of the level above as they arrive, in
/// any order, without holding either level: each incoming tile is area-downsampled by 2 into the
/// quarter of its parent tile here; a parent tile complete with all its (up to four) children is
/// encoded into a scratch BigTIFF beside the output and handed down to the next level.
///
/// Memory: the parent tiles still waiting for children. Row-major writing keeps that to about
/// one row of tiles per level; an adversarial order holds more, never the image.
final class PyramidLevelBuilder {
    let format: TiledTIFFFormat
    /// The level above, whose tiles feed this one.
    private let parentFormat: TiledTIFFFormat
    let scratchPath: String
    private var scratch: TIFFHandle?
    private var pending: [Int: (tile: Raster, received: Int)] = [:]
    let next: PyramidLevelBuilder?

    /// Creates this level and, recursively, the `remaining` coarser ones below it.
    init(parent: TiledTIFFFormat, outputPath: String, level: Int, remaining: Int, limits: ImageLimits) throws {
        parentFormat = parent
        format = parent.halved()
        scratchPath = "\(outputPath).level\(level).tmp"
        let scratch = try TIFFHandle(path: scratchPath, mode: "w8", limits: limits)
        self.scratch = scratch
        try format.apply(to: scratch, reduced: true)
        next =
            remaining > 1
            ? try PyramidLevelBuilder(
                parent: format, outputPath: outputPath, level: level + 1, remaining: remaining - 1, limits: limits)
            : nil
    }

    /// Takes tile (`column`, `row`) of the level above (clipped to that level's size).
    func accept(_ child: Raster, column: Int, row: Int) throws {
        let half = format.tileSize / 2
        let target = (column: column / 2, row: row / 2)
        let key = target.row * format.columns + target.column
        let rect = format.rect(column: target.column, row: target.row)
        var entry =
            pending[key] ?? (
                Raster(width: rect.width, height: rect.height, layout: format.layout, bitDepth: format.bitDepth), 0
            )
        pending[key] = nil  // keep the raster uniquely referenced while pasting into it
        entry.tile.paste(AreaDownsampling.halved(child), atX: (column % 2) * half, y: (row % 2) * half)
        entry.received += 1
        if entry.received < expectedChildren(column: target.column, row: target.row) {
            pending[key] = entry
            return
        }
        guard let scratch else { preconditionFailure("pyramid level written after it was finished") }
        try format.write(entry.tile, column: target.column, row: target.row, to: scratch)
        try next?.accept(entry.tile, column: target.column, row: target.row)
    }

    /// How many tiles of the level above fall in tile (`column`, `row`) of this one: 4 inside,
    /// fewer along the right and bottom edges.
    private func expectedChildren(column: Int, row: Int) -> Int {
        (min(2 * column + 2, parentFormat.columns) - 2 * column) * (min(2 * row + 2, parentFormat.rows) - 2 * row)
    }

    /// Finishes the scratch file of this level and the ones below (`TIFFWriteDirectory`,
    /// `TIFFClose`). Every tile must be complete by now.
    func finishScratch() throws {
        guard let scratch else { return }
        guard pending.isEmpty else {
            throw ImageIOError.encode(path: scratchPath, reason: "\(pending.count) pyramid tiles are incomplete")
        }
        try scratch.check("TIFFWriteDirectory") { TIFFWriteDirectory($0) }
        try scratch.close()
        self.scratch = nil
        try next?.finishScratch()
    }

    /// Appends this level to `output` as the next directory (a SubIFD of the full-resolution
    /// image): the tags, then every tile copied compressed from the scratch file
    /// (`TIFFReadRawTile` → `TIFFWriteRawTile`), then `TIFFWriteDirectory`.
    func copy(into output: TIFFHandle, limits: ImageLimits) throws {
        let source = try TIFFHandle(path: scratchPath, mode: "r", limits: limits)
        try format.apply(to: output, reduced: true)
        var buffer: [UInt8] = []
        for tile in 0..<UInt32(format.tileCount) {
            let size = Int(TIFFGetStrileByteCount(source.raw, tile))
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
            try buffer.withUnsafeMutableBytes { bytes in
                let read = try source.call("TIFFReadRawTile", failsWhen: { $0 != size }) {
                    Int(TIFFReadRawTile($0, tile, bytes.baseAddress, tmsize_t(size)))
                }
                try output.call("TIFFWriteRawTile", failsWhen: { $0 != read }) {
                    Int(TIFFWriteRawTile($0, tile, bytes.baseAddress, tmsize_t(read)))
                }
            }
        }
        try source.close()
        try output.check("TIFFWriteDirectory") { TIFFWriteDirectory($0) }
        try next?.copy(into: output, limits: limits)
    }

    /// Closes and deletes every scratch file of this level and the ones below (best effort: on
    /// the way out of a failure, or after a successful copy).
    func removeScratch() {
        try? scratch?.close()
        scratch = nil
        try? FileManager.default.removeItem(atPath: scratchPath)
        next?.removeScratch()
    }
}
