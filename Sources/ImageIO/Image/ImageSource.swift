/// An image that can be read by region: the way every consumer of pixels asks for them
/// (STYLE.md §5). `TIFFReader` decodes only what a region needs; `PNGReader` decodes the file
/// once, within the pixel limit, and crops.
public protocol ImageSource: AnyObject {
    var path: String { get }
    var info: ImageInfo { get }
    /// The pixels of `region`, which must lie inside the image.
    func read(region: PixelRect) throws -> Raster
    /// Regions that cover the image in the pieces the file is stored in, for passes over a whole
    /// image that hold one piece at a time.
    var readingRegions: RegionGrid { get }
    /// Checks, without decoding pixels, that the file holds all the data its header announces
    /// (a truncated file fails here, cheaply, instead of deep into a pass over the image).
    func verifyStorage() throws
}

extension ImageSource {
    /// The whole image (subject to the in-memory pixel limit).
    public func readAll() throws -> Raster {
        try read(region: bounds)
    }

    /// The whole image as a rectangle.
    public var bounds: PixelRect { PixelRect(width: info.width, height: info.height) }

    /// Throws `.invalidRequest` unless `region` is a non-empty rectangle inside the image.
    func requireInside(_ region: PixelRect) throws {
        guard !region.isEmpty, bounds.contains(region) else {
            throw ImageIOError.invalidRequest(path: path, reason: "region \(region) is not inside the image \(bounds)")
        }
    }
}
