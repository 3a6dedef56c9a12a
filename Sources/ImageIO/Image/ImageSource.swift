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
    var readingRegions: [PixelRect] { get }
}

extension ImageSource {
    /// The whole image (subject to the in-memory pixel limit).
    public func readAll() throws -> Raster {
        try read(region: PixelRect(width: info.width, height: info.height))
    }
}
