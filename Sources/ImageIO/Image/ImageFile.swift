import Foundation

/// Opens image files by what their bytes say they are, not by their extension.
public enum ImageFile {
    /// Opens `path` as a PNG, a JPEG, a WebP or a TIFF/BigTIFF (full-resolution level), reading
    /// only its header, and prints the reader's warnings (`ImageInfo.warnings`) on standard error.
    /// - Throws: `.io` for a missing or unreadable file, `.decode` for an empty or damaged one,
    ///   `.unsupported` for any other kind of file (named when it is a common format).
    public static func open(_ path: String, limits: ImageLimits = .default) throws -> any ImageSource {
        try FileCheck.requireReadable(path)
        let magic = try FileCheck.leadingBytes(path, count: 12)
        let source: any ImageSource
        switch Signature(magic) {
        case .png: source = try PNGReader(path: path, limits: limits)
        case .jpeg: source = try JPEGReader(path: path, limits: limits)
        case .webp: source = try WebPReader(path: path, limits: limits)
        case .tiff: source = try TIFFReader(path: path, limits: limits)
        case .other(let name):
            throw ImageIOError.unsupported(path: path, reason: "\(name), not a PNG, JPEG, WebP or TIFF image")
        }
        for warning in source.info.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        return source
    }

    /// The kind of file its first bytes announce.
    enum Signature: Equatable {
        case png
        case jpeg
        case webp
        case tiff
        case other(String)

        init(_ bytes: [UInt8]) {
            if WebPContainer.isWebP(bytes) {
                self = .webp
                return
            }
            let known: [(prefix: [UInt8], kind: Signature)] = [
                ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], .png),
                ([0x49, 0x49, 0x2A, 0x00], .tiff), ([0x4D, 0x4D, 0x00, 0x2A], .tiff),  // classic TIFF
                ([0x49, 0x49, 0x2B, 0x00], .tiff), ([0x4D, 0x4D, 0x00, 0x2B], .tiff),  // BigTIFF
                ([0xFF, 0xD8, 0xFF], .jpeg),
                ([0x47, 0x49, 0x46, 0x38], .other("a GIF file")),
                ([0x25, 0x50, 0x44, 0x46], .other("a PDF file")),
                ([0x52, 0x49, 0x46, 0x46], .other("a RIFF file that is not a WebP")),
            ]
            self = known.first { bytes.starts(with: $0.prefix) }?.kind ?? .other("unknown file type")
        }
    }
}
