internal import CTIFF
import Foundation

/// Writes a large image tile by tile as a tiled BigTIFF (Deflate with the horizontal predictor),
/// tiles in any order, with an optional reduced-resolution pyramid stored as SubIFDs of the
/// full-resolution image (NewSubfileType = reduced image), as libvips and OME-TIFF do, so that
/// viewers and `tiffinfo` find it.
///
/// The pyramid is built while the full-resolution tiles arrive (see `PyramidLevelBuilder`), so
/// neither the image nor a level is ever held. Ownership (STYLE.md §4): the output must be
/// finished with `close()`, which can fail; `deinit` only asserts that it was. Prefer
/// `TiledTIFFWriter.write(to:…) { writer in … }`, which closes, or removes the partial file on
/// failure.
public final class TiledTIFFWriter {
    public struct Options: Sendable {
        /// Tile width and height in pixels: a multiple of 16 (TIFF's rule) and even.
        public var tileSize: Int
        /// Reduced levels below the full-resolution image (each half the size of the one above).
        public var pyramidLevels: Int

        public init(tileSize: Int = 256, pyramidLevels: Int = 0) {
            self.tileSize = tileSize
            self.pyramidLevels = pyramidLevels
        }

        /// The number of halvings until the image fits in one tile.
        public static func automaticPyramidLevels(width: Int, height: Int, tileSize: Int) -> Int {
            var levels = 0
            var side = max(width, height)
            while side > tileSize {
                side = (side + 1) / 2
                levels += 1
            }
            return levels
        }
    }

    public let path: String
    public let width: Int
    public let height: Int
    public let layout: ChannelLayout
    public let bitDepth: BitDepth
    public let options: Options
    let format: TiledTIFFFormat
    private let limits: ImageLimits
    private let handle: TIFFHandle
    private let pyramid: PyramidLevelBuilder?
    private var written: [Bool]
    private var isClosed = false

    /// Creates `path` (replacing it) for a `width`×`height` image.
    /// - Throws: `.invalidRequest` for a bad size or tile size, `.io` when the file cannot be created.
    public init(
        path: String, width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth,
        options: Options = Options(), limits: ImageLimits = .default
    ) throws {
        guard width > 0, height > 0, width <= Int(UInt32.max), height <= Int(UInt32.max) else {
            throw ImageIOError.invalidRequest(path: path, reason: "image size \(width)x\(height)")
        }
        guard options.tileSize >= 16, options.tileSize % 16 == 0, options.pyramidLevels >= 0 else {
            throw ImageIOError.invalidRequest(
                path: path, reason: "tile size \(options.tileSize) is not a multiple of 16")
        }
        self.path = path
        self.width = width
        self.height = height
        self.layout = layout
        self.bitDepth = bitDepth
        self.options = options
        self.limits = limits
        format = TiledTIFFFormat(
            width: width, height: height, layout: layout, bitDepth: bitDepth, tileSize: options.tileSize)
        written = [Bool](repeating: false, count: format.tileCount)
        let handle = try TIFFHandle(path: path, mode: "w8", limits: limits)
        self.handle = handle
        do {
            try format.apply(to: handle, reduced: false)
            if options.pyramidLevels > 0 {
                // Announces n SubIFDs: libtiff makes the next n directories written after this
                // one its SubIFDs and patches their offsets in (the zeros are placeholders).
                var offsets = [UInt64](repeating: 0, count: options.pyramidLevels)
                try offsets.withUnsafeMutableBufferPointer {
                    try handle.setField(TIFFTAG_SUBIFD, Int32(options.pyramidLevels), $0.baseAddress!)
                }
            }
            pyramid =
                options.pyramidLevels > 0
                ? try PyramidLevelBuilder(
                    parent: format, outputPath: path, level: 1, remaining: options.pyramidLevels, limits: limits)
                : nil
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    deinit {
        assert(isClosed, "\(path): TiledTIFFWriter released without close()")
    }

    public var tileColumns: Int { format.columns }
    public var tileRows: Int { format.rows }

    /// The rectangle tile (`column`, `row`) covers, clipped to the image: the size `write`
    /// expects for it.
    public func tileRect(column: Int, row: Int) -> PixelRect { format.rect(column: column, row: row) }

    /// Writes tile (`column`, `row`); tiles may come in any order, each exactly once. The raster
    /// is quantised to the writer's `bitDepth`.
    /// - Throws: `.invalidRequest` for a tile off the grid, of the wrong size or layout, or
    ///   written twice; `.encode` when libtiff fails.
    public func write(_ tile: Raster, column: Int, row: Int) throws {
        guard !isClosed else { throw ImageIOError.invalidRequest(path: path, reason: "write after close") }
        guard (0..<format.columns).contains(column), (0..<format.rows).contains(row) else {
            throw ImageIOError.invalidRequest(
                path: path, reason: "tile \(column),\(row) is off the \(format.columns)x\(format.rows) grid")
        }
        let rect = format.rect(column: column, row: row)
        guard tile.width == rect.width, tile.height == rect.height, tile.layout == layout else {
            throw ImageIOError.invalidRequest(
                path: path,
                reason:
                    "tile \(column),\(row) must be \(rect.width)x\(rect.height) \(layout), not \(tile.width)x\(tile.height) \(tile.layout)"
            )
        }
        let index = row * format.columns + column
        guard !written[index] else {
            throw ImageIOError.invalidRequest(path: path, reason: "tile \(column),\(row) written twice")
        }
        written[index] = true
        try format.write(tile, column: column, row: row, to: handle)
        try pyramid?.accept(tile, column: column, row: row)
    }

    /// Finishes the file: writes the full-resolution directory, then each pyramid level as its
    /// SubIFD, closes it and removes the scratch files.
    /// - Throws: `.encode` when a tile is missing or libtiff fails; the partial file is removed.
    public func close() throws {
        guard !isClosed else { return }
        isClosed = true
        do {
            let missing = written.lazy.filter { !$0 }.count
            guard missing == 0 else {
                throw ImageIOError.encode(path: path, reason: "\(missing) of \(written.count) tiles were never written")
            }
            try pyramid?.finishScratch()
            try handle.check("TIFFWriteDirectory") { TIFFWriteDirectory($0) }
            try pyramid?.copy(into: handle, limits: limits)
            try handle.close()
            pyramid?.removeScratch()
        } catch {
            abandonFiles()
            throw error
        }
    }

    /// Closes without finishing and removes the output and scratch files (after a failure).
    public func abandon() {
        isClosed = true
        abandonFiles()
    }

    private func abandonFiles() {
        try? handle.close()
        pyramid?.removeScratch()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Creates a writer, runs `body` with it and closes it; if `body` throws, the partial
    /// output is removed and the error rethrown.
    public static func write<Result>(
        to path: String, width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth,
        options: Options = Options(), limits: ImageLimits = .default, _ body: (TiledTIFFWriter) throws -> Result
    ) throws -> Result {
        let writer = try TiledTIFFWriter(
            path: path, width: width, height: height, layout: layout, bitDepth: bitDepth, options: options,
            limits: limits)
        let result: Result
        do {
            result = try body(writer)
        } catch {
            writer.abandon()
            throw error
        }
        try writer.close()
        return result
    }
}
