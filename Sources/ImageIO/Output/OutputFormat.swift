import Foundation

/// The kinds of image file Atelier writes, chosen by the output's extension.
public enum OutputFormat: String, Sendable, CaseIterable {
    case png, jpeg, webp, tiff

    /// The format's usual name, for messages.
    public var name: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        case .webp: return "WebP"
        case .tiff: return "TIFF"
        }
    }

    /// The extensions each format is chosen by, in lower case (a name's case does not matter).
    public var extensions: [String] {
        switch self {
        case .png: return ["png"]
        case .jpeg: return ["jpg", "jpeg"]
        case .webp: return ["webp"]
        case .tiff: return ["tif", "tiff"]
        }
    }

    /// Every accepted extension, for messages: ".png, .jpg, .jpeg, .webp, .tif, .tiff".
    public static var extensionList: String {
        allCases.flatMap(\.extensions).map { "." + $0 }.joined(separator: ", ")
    }

    /// The format `path`'s extension names, or nil for any other extension (or none).
    public init?(path: String) {
        let pathExtension = (path as NSString).pathExtension.lowercased()
        guard let format = Self.allCases.first(where: { $0.extensions.contains(pathExtension) }) else { return nil }
        self = format
    }

    /// Whether a 16-bit image is written at 16 bits (PNG, TIFF); JPEG and WebP are 8-bit.
    public var keepsSixteenBits: Bool { self == .png || self == .tiff }

    /// Whether an alpha channel is written (every format but JPEG).
    public var keepsAlpha: Bool { self != .jpeg }

    /// The longest side the format holds (WebP 16383, JPEG 65500), or nil when no smaller than
    /// anything Atelier writes.
    public var maximumSide: Int? {
        switch self {
        case .webp: return WebPCodec.maxSide
        case .jpeg: return 65500
        case .png, .tiff: return nil
        }
    }

    /// The quality a lossy format uses when none is given (nil for the lossless ones).
    public var defaultQuality: Int? {
        switch self {
        case .jpeg: return JPEGFile.defaultQuality
        case .webp: return WebPFile.defaultQuality
        case .png, .tiff: return nil
        }
    }
}
