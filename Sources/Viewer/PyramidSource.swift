import Foundation
import ImageIO

/// One image file read by region at any Deep Zoom level: from the stored pyramid level nearest
/// the wanted level on the finer side, area-downsampled by the remaining power of two. A request
/// never reads more than `blockPixels` source pixels at once, so memory stays bounded whatever the
/// file's size and whether or not it has a pyramid (STYLE.md §5: a request is a rectangle).
///
/// Safe to share between request handlers: each stored level keeps a few readers (a `TIFFReader`
/// is not thread-safe), lent to one caller at a time.
public final class PyramidSource: @unchecked Sendable {
    public let path: String
    public let info: ImageInfo
    public let layout: DeepZoomLayout
    /// The stored levels a Deep Zoom level can be made from: each one's downsampling factor from
    /// the full resolution (a power of two) and its readers. Finest first.
    let levels: [StoredLevel]
    /// Source pixels read at most per region read.
    let blockPixels: Int

    /// Opens `path` (any image ImageIO reads; a TIFF's reduced-resolution levels are used when
    /// they are halvings of the full size, as Atelier's tiled BigTIFF writes them).
    /// - Throws: `ImageIOError` when the file cannot be opened.
    public init(path: String, blockPixels: Int = 2048 * 2048) throws {
        let base = try ImageFile.open(path)
        self.path = path
        self.info = base.info
        self.blockPixels = blockPixels
        layout = DeepZoomLayout(width: base.info.width, height: base.info.height)
        let isTIFF = info.format == .tiff || info.format == .bigTIFF
        var levels = [StoredLevel(index: 0, factor: 1, size: info.pyramid[0], isTIFF: isTIFF, first: base)]
        for (index, size) in info.pyramid.enumerated().dropFirst() where isTIFF {
            guard let factor = Self.halvingFactor(of: size, full: info.pyramid[0]), factor > levels.last!.factor else {
                continue
            }
            levels.append(StoredLevel(index: index, factor: factor, size: size, isTIFF: true, first: nil))
        }
        self.levels = levels
    }

    /// The power of two `size` is `full` divided by (rounding up), or nil when it is none.
    static func halvingFactor(of size: PixelSize, full: PixelSize) -> Int? {
        var factor = 1
        while factor <= max(full.width, full.height) {
            if AreaDownsampling.outputSize(of: full, factor: factor) == size { return factor }
            factor *= 2
        }
        return nil
    }

    /// The stored level a Deep Zoom level is made from, and the factor still to apply to it.
    func plan(for level: Int) -> (stored: StoredLevel, factor: Int) {
        let wanted = layout.factor(of: level)
        let stored = levels.last { $0.factor <= wanted } ?? levels[0]
        return (stored, wanted / stored.factor)
    }

    /// The pixels of `region` of Deep Zoom level `level`, 8 bits per sample.
    /// - Throws: `ImageIOError` when the file cannot be read.
    public func read(region: PixelRect, level: Int) throws -> Raster {
        let (stored, factor) = plan(for: level)
        let blockSide = max(1, Int(Double(blockPixels).squareRoot()) / factor)
        var output = Raster(width: region.width, height: region.height, layout: info.layout, bitDepth: .eight)
        for block in region.tiles(width: blockSide, height: blockSide) {
            let input = AreaDownsampling.inputRect(for: block, factor: factor, sourceSize: stored.size)
            let pixels = try stored.withReader(path: path) { try $0.read(region: input) }
            let reduced = factor == 1 ? pixels : AreaDownsampling.downsample(pixels, factor: factor)
            output.paste(reduced, atX: block.x - region.x, y: block.y - region.y)
        }
        return output
    }
}

/// One level stored in the file, with the readers lent out for it.
final class StoredLevel: @unchecked Sendable {
    let index: Int
    let factor: Int
    let size: PixelSize
    let isTIFF: Bool
    private let lock = NSLock()
    private var idle: [any ImageSource]
    /// Readers kept for reuse; more are opened while this many are busy and closed on return.
    private static let kept = 4

    init(index: Int, factor: Int, size: PixelSize, isTIFF: Bool, first: (any ImageSource)?) {
        self.index = index
        self.isTIFF = isTIFF
        self.factor = factor
        self.size = size
        idle = first.map { [$0] } ?? []
    }

    /// Runs `body` with a reader of this level that no other caller holds meanwhile.
    func withReader<T>(path: String, _ body: (any ImageSource) throws -> T) throws -> T {
        let reader = try lock.withLock { idle.popLast() } ?? open(path: path)
        defer {
            lock.withLock {
                if idle.count < Self.kept { idle.append(reader) }
            }
        }
        return try body(reader)
    }

    private func open(path: String) throws -> any ImageSource {
        // A TIFF opens its levels directly (ImageFile would print the file's warnings again).
        try isTIFF ? TIFFReader(path: path, level: index) : ImageFile.open(path)
    }
}
