internal import CTIFF

/// Reads one image (one level of its pyramid) of a TIFF or BigTIFF file by region: striped or
/// tiled, 8 or 16 bits, chunky or planar, any compression this libtiff decodes. A region read
/// decodes only the strips or tiles that meet the rectangle.
///
/// Owns a read-only libtiff handle, closed in `deinit` (nothing to flush). Not thread-safe: one
/// reader per thread.
public final class TIFFReader: ImageSource {
    public let path: String
    public let info: ImageInfo
    let limits: ImageLimits
    let handle: TIFFHandle
    let directory: TIFFDirectoryLayout
    private var cache: TIFFChunkCache
    /// Strips and tiles decoded so far (tests check that each is decoded once per pass).
    private(set) var chunksDecoded = 0
    /// Rows per region of `readingRegions`; see there.
    private let bandHeight: Int

    /// Opens `path` at pyramid `level` (0 is the full-resolution image; 1… the reduced images
    /// listed in `info.pyramid`, from SubIFDs or from further IFDs marked reduced).
    /// - Throws: `.io` when the file cannot be read, `.decode` when libtiff cannot parse it,
    ///   `.unsupported` for pixel formats ImageIO does not read, `.invalidRequest` for a level
    ///   the file does not have.
    public init(path: String, level: Int = 0, limits: ImageLimits = .default) throws {
        try FileCheck.requireReadable(path)
        self.path = path
        self.limits = limits
        handle = try TIFFHandle(path: path, mode: "r", limits: limits)
        let levels = try TIFFPyramidScan(handle: handle)
        let base = try TIFFDirectoryLayout(handle: handle)
        guard level >= 0, level <= levels.locations.count else {
            throw ImageIOError.invalidRequest(
                path: path, reason: "no pyramid level \(level) (it has \(levels.locations.count))")
        }
        if level > 0 { try levels.select(level: level, on: handle) }
        directory = level > 0 ? try TIFFDirectoryLayout(handle: handle) : base
        guard directory.chunkBytes <= limits.maxChunkBytes else {
            throw ImageIOError.unsupported(
                path: path,
                reason: "one strip or tile holds \(directory.chunkBytes) bytes, above the \(limits.maxChunkBytes)-byte"
                    + " limit for region reads; rewrite it tiled (tiffcp -t)")
        }
        cache = TIFFChunkCache(capacity: directory.planesToRead.count)
        bandHeight = Self.bandHeight(for: directory, regionPixels: limits.regionPixels)
        info = ImageInfo(
            format: TIFFIsBigTIFF(handle.raw) != 0 ? .bigTIFF : .tiff,
            width: directory.width, height: directory.height, layout: directory.layout,
            bitDepth: directory.bitDepth, tiling: directory.tiling,
            compression: TIFFCompressionName.name(of: directory.compression), planar: directory.planar,
            interlaced: false, pyramid: [PixelSize(width: base.width, height: base.height)] + levels.sizes)
    }

    /// Decodes `region` (inside the image) into a raster, touching only the strips or tiles
    /// that meet it (`TIFFReadEncodedTile` / `TIFFReadEncodedStrip`).
    /// - Throws: `.invalidRequest` for a region off the image, `.tooLarge` for a region above
    ///   `limits.maxInMemoryPixels`, `.decode` for a damaged strip or tile.
    public func read(region: PixelRect) throws -> Raster {
        try requireInside(region)
        try limits.check(width: region.width, height: region.height, path: path)
        var raster = Raster(
            width: region.width, height: region.height, layout: directory.layout, bitDepth: directory.bitDepth)
        for plane in directory.planesToRead {
            for chunk in directory.chunks(meeting: region) {
                let entry = try decoded(chunk: chunk, plane: plane)
                let grid = SampleGrid(
                    originX: chunk.x, originY: chunk.y, width: directory.chunkWidth,
                    samplesPerPixel: directory.samplesPerChunkPixel, firstChannel: plane)
                let overlap = chunk.intersection(region)
                let origin = (region.x, region.y)
                cache.entries[entry].bytes.withUnsafeBytes { bytes in
                    switch directory.bitDepth {
                    case .eight:
                        raster.importSamples(
                            from: bytes.bindMemory(to: UInt8.self), grid: grid, region: overlap, origin: origin)
                    case .sixteen:
                        raster.importSamples(
                            from: bytes.bindMemory(to: UInt16.self), grid: grid, region: overlap, origin: origin)
                    }
                }
            }
        }
        if directory.invertsGray {
            for index in raster.planeRange(0) { raster.samples[index] = 1 - raster.samples[index] }
        }
        return raster
    }

    /// Regions that cover the image one strip or tile at a time, so that a pass over them
    /// decodes each chunk once and holds one at a time. A strip taller than
    /// `limits.regionPixels` allows is cut into bands of rows whose height divides the strip's,
    /// so that no band straddles two strips and the chunk cache serves every band of a strip
    /// from one decode.
    public var readingRegions: RegionGrid {
        bounds.tiles(width: directory.tiled ? directory.chunkWidth : info.width, height: bandHeight)
    }

    /// The largest divisor of the strip height whose band stays within `regionPixels` (tiles are
    /// read whole: cutting them would visit each tile once per band).
    private static func bandHeight(for directory: TIFFDirectoryLayout, regionPixels: Int) -> Int {
        guard !directory.tiled else { return directory.chunkHeight }
        let rows = max(1, regionPixels / directory.width)
        if rows >= directory.chunkHeight { return directory.chunkHeight }
        return (1...rows).reversed().first { directory.chunkHeight % $0 == 0 } ?? 1
    }

    /// The cache entry holding the strip or tile whose rectangle is `chunk` (of `plane`),
    /// decoding it with `TIFFReadEncodedTile` / `TIFFReadEncodedStrip` when it is not cached.
    /// A short strip at the bottom decodes fewer bytes; the rest of its buffer is not read.
    private func decoded(chunk: PixelRect, plane: Int) throws -> Int {
        if let entry = cache.index(of: chunk, plane: plane) { return entry }
        let entry = cache.slot(for: chunk, plane: plane, bytes: directory.chunkBytes)
        let x = UInt32(chunk.x)
        let y = UInt32(chunk.y)
        let sample = UInt16(plane)
        let tiled = directory.tiled
        let expected =
            tiled
            ? directory.chunkBytes
            : (min(chunk.maxY, info.height) - chunk.y) * directory.chunkWidth * directory.samplesPerChunkPixel
                * directory.bitDepth.bytesPerSample
        do {
            let decoded = try cache.withBytes(entry) { bytes in
                try bytes.withUnsafeMutableBytes { buffer in
                    let size = tmsize_t(buffer.count)
                    return try handle.call(
                        tiled ? "TIFFReadEncodedTile" : "TIFFReadEncodedStrip", failsWhen: { $0 < 0 }
                    ) {
                        tiff in
                        tiled
                            ? TIFFReadEncodedTile(
                                tiff, TIFFComputeTile(tiff, x, y, 0, sample), buffer.baseAddress, size)
                            : TIFFReadEncodedStrip(tiff, TIFFComputeStrip(tiff, y, sample), buffer.baseAddress, size)
                    }
                }
            }
            // libtiff returns fewer bytes than a chunk holds when the data runs out; trusting the
            // buffer then would read stale pixels of another chunk.
            guard Int(decoded) >= expected else {
                throw ImageIOError.decode(
                    path: path, reason: "strip or tile at \(chunk.x),\(chunk.y) decoded \(decoded) of \(expected) bytes"
                )
            }
        } catch {
            cache.discard(entry)
            throw error
        }
        chunksDecoded += 1
        return entry
    }
}
