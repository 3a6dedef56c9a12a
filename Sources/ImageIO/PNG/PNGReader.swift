/// A PNG as an `ImageSource`. PNG cannot be decoded by region, so the first read decodes the
/// whole file (refused above `limits.maxInMemoryPixels`) and keeps it; later reads crop.
public final class PNGReader: ImageSource {
    public let path: String
    public let info: ImageInfo
    private let limits: ImageLimits
    private var decoded: Raster?

    /// Reads the header only.
    public init(path: String, limits: ImageLimits = .default) throws {
        let decoder = try PNGDecoder(path: path)
        let (layout, depth) = try decoder.format()
        self.path = path
        self.limits = limits
        info = ImageInfo(
            format: .png, width: decoder.width, height: decoder.height, layout: layout, bitDepth: depth,
            tiling: .none, compression: "deflate", planar: false, interlaced: decoder.interlaced,
            pyramid: [PixelSize(width: decoder.width, height: decoder.height)])
    }

    public func read(region: PixelRect) throws -> Raster {
        try requireInside(region)
        if decoded == nil { decoded = try PNGDecoder(path: path).decode(limits: limits) }
        return region == bounds ? decoded! : decoded!.cropped(to: region)
    }

    /// The whole image at once: PNG is stored as one block.
    public var readingRegions: RegionGrid { bounds.tiles(width: info.width, height: info.height) }
}
