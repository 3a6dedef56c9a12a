/// A width and a height in pixels.
public struct PixelSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)x\(height)" }
}

/// What a file holds, as read from its header without decoding pixels.
public struct ImageInfo: Equatable, Sendable {
    public enum Format: String, Sendable {
        case png = "PNG"
        case tiff = "TIFF"
        case bigTIFF = "BigTIFF"
        case jpeg = "JPEG"
        case webp = "WebP"
    }

    /// How the pixels are cut for storage.
    public enum Tiling: Equatable, Sendable, CustomStringConvertible {
        /// One block (PNG: decoded whole).
        case none
        case strips(rowsPerStrip: Int)
        case tiles(width: Int, height: Int)

        public var description: String {
            switch self {
            case .none: return "none"
            case .strips(let rows): return "strips of \(rows) rows"
            case .tiles(let width, let height): return "tiles \(width)x\(height)"
            }
        }
    }

    public var format: Format
    public var width: Int
    public var height: Int
    public var layout: ChannelLayout
    public var bitDepth: BitDepth
    public var tiling: Tiling
    /// The compression scheme in lower case ("deflate", "lzw", "none", …).
    public var compression: String
    /// TIFF PlanarConfiguration = separate.
    public var planar: Bool
    /// PNG Adam7 interlacing.
    public var interlaced: Bool
    /// Every level of the resolution pyramid, full size first (one entry when there is no pyramid).
    public var pyramid: [PixelSize]
    /// Things a user should know about how the file is read, each one line naming the file (an
    /// ICC profile that is not sRGB). `ImageFile.open` prints them on standard error.
    public var warnings: [String]

    public init(
        format: Format, width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth, tiling: Tiling,
        compression: String, planar: Bool, interlaced: Bool, pyramid: [PixelSize], warnings: [String] = []
    ) {
        self.format = format
        self.width = width
        self.height = height
        self.layout = layout
        self.bitDepth = bitDepth
        self.tiling = tiling
        self.compression = compression
        self.planar = planar
        self.interlaced = interlaced
        self.pyramid = pyramid
        self.warnings = warnings
    }
}
