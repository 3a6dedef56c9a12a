import Foundation

/// A WebP (lossy or lossless, still) as an `ImageSource`: 8-bit RGB, or RGBA when it has alpha,
/// turned the way an EXIF chunk's Orientation says. Decoded whole on the first read (refused above
/// `limits.maxInMemoryPixels`) and kept; later reads crop.
public final class WebPReader: ImageSource {
    public let path: String
    public let info: ImageInfo
    public let orientation: ExifOrientation
    /// The embedded ICC profile, when there is one (sRGB is assumed either way).
    public let colourProfile: ColourProfile?
    private let limits: ImageLimits
    private let features: WebPCodec.Features
    private var decoded: Raster?

    /// Reads the container and the bitstream header only.
    /// - Throws: `.decode` for a truncated or damaged file, `.unsupported` for an animation.
    public init(path: String, limits: ImageLimits = .default) throws {
        let bytes = try Self.contents(of: path)
        let container = try WebPContainer(bytes, path: path)
        features = try WebPCodec.features(of: bytes, path: path)
        self.path = path
        self.limits = limits
        orientation = ExifOrientation.read(exif: container.exif)
        colourProfile = container.iccProfile.map(ColourProfile.init(icc:))
        let size = orientation.displayedSize(width: features.width, height: features.height)
        info = ImageInfo(
            format: .webp, width: size.width, height: size.height, layout: features.hasAlpha ? .rgba : .rgb,
            bitDepth: .eight, tiling: .none, compression: features.lossless ? "webp (lossless)" : "webp (lossy)",
            planar: false, interlaced: false, pyramid: [size],
            warnings: colourProfile?.warning(path: path).map { [$0] } ?? [])
    }

    public func read(region: PixelRect) throws -> Raster {
        try requireInside(region)
        if decoded == nil {
            try limits.check(width: features.width, height: features.height, path: path)
            let stored = try WebPCodec.decode(Self.contents(of: path), features: features, path: path)
            decoded = orientation.apply(to: stored)
        }
        return region == bounds ? decoded! : decoded!.cropped(to: region)
    }

    /// The whole image at once: WebP is decoded as one block.
    public var readingRegions: RegionGrid { bounds.tiles(width: info.width, height: info.height) }

    /// The container's chunks were checked against the file's length on open; a truncated file
    /// failed there.
    public func verifyStorage() throws {
        _ = try WebPContainer(Self.contents(of: path), path: path)
    }

    /// The file's bytes, mapped rather than copied.
    static func contents(of path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ImageIOError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
    }
}
