import ImageIO
import Semantics
import Tensor

/// Reading the pictures to score, at any size: the figures never need more than a few thousand
/// pixels on a side (the networks run at most at 1024, the colour figure samples 65 536 pixels),
/// so a larger image is read reduced, region by region, and a gigapixel TIFF never sits in
/// memory whole.
public enum EvaluationImage {
    /// The long side above which an image is read reduced.
    public static let maximumSide = 2048

    /// The image at `path` (PNG or TIFF) as RGB in 0…1 (alpha dropped, grey repeated). An image
    /// whose long side exceeds `maximumSide` is reduced by the smallest integer factor that
    /// brings it within it, each output pixel the mean of its factor×factor block
    /// (`AreaDownsampling.stream`).
    /// - Throws: `ImageIOError` naming the file when it is missing, damaged or unsupported.
    public static func read(_ path: String, maximumSide: Int = maximumSide) throws -> Tensor {
        precondition(maximumSide >= 1, "maximumSide must be positive")
        let source = try ImageFile.open(path)
        let longSide = max(source.info.width, source.info.height)
        guard longSide > maximumSide else { return try source.readAll().rgbTensor() }
        let factor = (longSide + maximumSide - 1) / maximumSide
        let size = AreaDownsampling.outputSize(
            of: PixelSize(width: source.info.width, height: source.info.height), factor: factor)
        var reduced = Raster(
            width: size.width, height: size.height, layout: source.info.layout, bitDepth: source.info.bitDepth)
        try AreaDownsampling.stream(source, factor: factor, tileSize: 512) { tile, rect in
            reduced.paste(tile, atX: rect.x, y: rect.y)
        }
        return reduced.rgbTensor()
    }
}
