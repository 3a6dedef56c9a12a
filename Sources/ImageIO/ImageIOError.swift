/// The one error type of ImageIO (STYLE.md §2). Every case names the file and says why, and its
/// description is a single line, so the CLI can print it as `atelier: <description>`.
public enum ImageIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is damaged: truncated, corrupt, or inconsistent (libpng's or libtiff's message).
    case decode(path: String, reason: String)
    /// Writing an output failed: it could not be created, or libpng or libtiff failed.
    case encode(path: String, reason: String)
    /// The file is well-formed but holds something ImageIO does not read (a format, a sample
    /// format, a bit depth, a colour model).
    case unsupported(path: String, reason: String)
    /// An in-memory decode of `width`×`height` pixels would exceed `limit` pixels.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// An input file could not be opened or read (the system's message).
    case io(path: String, reason: String)
    /// A request outside what the image or the writer holds (a region off the image, a wrong
    /// tile size): a caller's mistake, reported rather than trapped.
    case invalidRequest(path: String, reason: String)

    public var path: String {
        switch self {
        case .decode(let path, _), .encode(let path, _), .unsupported(let path, _), .io(let path, _),
            .invalidRequest(let path, _), .tooLarge(let path, _, _, _):
            return path
        }
    }

    public var description: String {
        let text: String
        switch self {
        case .decode(let path, let reason): text = "\(path): cannot decode: \(reason)"
        case .encode(let path, let reason): text = "\(path): cannot write: \(reason)"
        case .unsupported(let path, let reason): text = "\(path): unsupported: \(reason)"
        case .io(let path, let reason): text = "\(path): \(reason)"
        case .invalidRequest(let path, let reason): text = "\(path): invalid request: \(reason)"
        case .tooLarge(let path, let width, let height, let limit):
            text =
                "\(path): \(width)x\(height) pixels is above the in-memory limit of \(limit) pixels;"
                + " read it by region from a tiled TIFF instead"
        }
        // Library messages sometimes carry newlines; the contract is one line.
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
