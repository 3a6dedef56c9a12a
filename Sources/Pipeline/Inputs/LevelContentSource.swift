import ImageIO
import Semantics
import Tensor
import Transfer

/// The content of one pyramid level, read by rectangle from the content file (PNG or tiled or
/// striped (Big)TIFF, 8 or 16 bit) without ever holding the image or the level (DESIGN.md §2).
///
/// The pixels of a rectangle are bit-identical to the same crop of the in-memory path,
/// `MultiScaleStylizer.resized(raster.rgbTensor(), …)`: area averaging when the level shrinks the
/// content, bicubic then clamped when it enlarges it, both through `Resample.Plan`, the
/// implementation `Resample.forward` itself uses. So tiled and untiled runs see the same content.
public final class LevelContentSource {
    public let source: any ImageSource
    public let width: Int
    public let height: Int
    /// A `var` so that tests can shrink its chunk budget and exercise chunking on small images.
    var resampling: LevelResampling

    /// - Parameters:
    ///   - source: the content file, opened with `ImageFile.open`.
    ///   - width, height: the level's size (a `MultiScaleSchedule.Level`'s).
    public init(source: any ImageSource, width: Int, height: Int) {
        precondition(width > 0 && height > 0, "a level of \(width)x\(height)")
        self.source = source
        self.width = width
        self.height = height
        let info = source.info
        let kind = MultiScaleStylizer.resamplingKind(
            fromWidth: info.width, height: info.height, toWidth: width, height: height)
        resampling = LevelResampling(
            from: PixelSize(width: info.width, height: info.height), to: PixelSize(width: width, height: height),
            kind: kind, clampsToUnit: true)
    }

    /// The bit depth of the content file: the output is written at the same depth.
    public var bitDepth: BitDepth { source.info.bitDepth }

    /// The RGB pixels (3 × rect.height × rect.width, 0…1) of `rect`, inside the level.
    /// - Throws: `ImageIOError` when the file cannot be read or decoded.
    public func read(_ rect: PixelRect) throws -> Tensor {
        try resampling.level(rect, channels: 3) { try source.read(region: $0).rgbTensor() }
    }

    /// Fills `canvas` (3 × the level's size) with the whole level, `tileSize`² rectangles at a
    /// time in row-major order: once per level, after which the level is read by rectangle from
    /// the canvas at the cost of a copy.
    /// - Throws: `ImageIOError` when the file cannot be read, `PipelineStoreError` from the canvas.
    public func materialise(into canvas: any Canvas, tileSize: Int = 512) throws {
        precondition(canvas.channels == 3 && canvas.width == width && canvas.height == height,
                     "a \(canvas.channels)×\(canvas.width)x\(canvas.height) canvas for a 3×\(width)x\(height) level")
        try canvas.fill(band: tileSize) { try read($0) }
    }
}
