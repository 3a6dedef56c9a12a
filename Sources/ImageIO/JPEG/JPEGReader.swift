/// A JPEG as an `ImageSource`: 8-bit grey or RGB, turned the way its Exif Orientation says (its
/// `info` gives the displayed size). JPEG cannot be decoded by region, so the first read decodes
/// the whole file (refused above `limits.maxInMemoryPixels`) and keeps it; later reads crop.
public final class JPEGReader: ImageSource {
    public let path: String
    public let info: ImageInfo
    public let orientation: ExifOrientation
    /// The embedded ICC profile, when there is one (sRGB is assumed either way).
    public let colourProfile: ColourProfile?
    private let limits: ImageLimits
    private var decoded: Raster?

    /// Reads the header and markers, and walks the marker structure to EOI (`verifyStorage`, a
    /// byte scan), so that a truncated file fails here, before any warning about its profile.
    /// - Throws: `.unsupported` for a CMYK JPEG, `.decode` for a damaged header or a truncated file.
    public init(path: String, limits: ImageLimits = .default) throws {
        let decoder = try JPEGDecoder(path: path)
        let layout = try decoder.layout()
        try Self.verifyMarkers(path)
        self.path = path
        self.limits = limits
        orientation = ExifOrientation.read(exif: decoder.exif)
        colourProfile = decoder.iccProfile.map(ColourProfile.init(icc:))
        let size = orientation.displayedSize(width: decoder.width, height: decoder.height)
        info = ImageInfo(
            format: .jpeg, width: size.width, height: size.height, layout: layout, bitDepth: .eight, tiling: .none,
            compression: decoder.progressive ? "jpeg (progressive)" : "jpeg", planar: false, interlaced: false,
            pyramid: [size], warnings: colourProfile?.warning(path: path).map { [$0] } ?? [])
    }

    public func read(region: PixelRect) throws -> Raster {
        try requireInside(region)
        if decoded == nil { decoded = orientation.apply(to: try JPEGDecoder(path: path).decode(limits: limits)) }
        return region == bounds ? decoded! : decoded!.cropped(to: region)
    }

    /// The whole image at once: JPEG is decoded as one block.
    public var readingRegions: RegionGrid { bounds.tiles(width: info.width, height: info.height) }
}
