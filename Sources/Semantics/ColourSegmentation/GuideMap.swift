import ImageIO

/// An image the user gives to guide the deep semantic space: a colour-coded segmentation map (or
/// a renderer's object-ID pass), or a grey lighting map (a renderer's lighting pass), with the
/// name it came from so that errors can say which map is wrong.
public struct GuideMap: Sendable {
    /// Where the map came from (its path), for messages.
    public let source: String
    public let raster: Raster

    public init(_ raster: Raster, source: String) {
        self.raster = raster
        self.source = source
    }

    /// Reads the map at `path` (any format `ImageFile.open` reads).
    /// - Throws: `ImageIOError` for a missing, unreadable or unsupported file.
    public init(contentsOf path: String) throws {
        self.init(try ImageFile.open(path).readAll(), source: path)
    }
}
