import Foundation
import ImageIO
import Semantics
import Tensor

/// The image written at the end of a run: the stylised colour, at the content's bit depth, with
/// the content's alpha carried over (resampled when the output size differs).
enum OutputImage {
    static func compose(_ result: Tensor, content: Raster) -> Raster {
        let colour = Raster.rgb(result, bitDepth: content.bitDepth)
        guard let alpha = content.alpha() else { return colour }
        var plane = alpha.samples
        if alpha.width != result.width || alpha.height != result.height {
            let source = Tensor(Shape(channels: 1, height: alpha.height, width: alpha.width), values: alpha.samples)
            let resized = Tensor(Shape(channels: 1, height: result.height, width: result.width))
            Resample.forward(source, into: resized, kind: .bilinear)
            plane = resized.array
        }
        return Raster(
            width: colour.width, height: colour.height, layout: .rgba, bitDepth: colour.bitDepth,
            samples: colour.samples + plane)
    }

    /// Writes `raster` to `path`: a tiled TIFF with a reduced-resolution pyramid for viewers when
    /// the name ends in `.tif` or `.tiff` (DESIGN.md §7), a PNG otherwise.
    static func write(_ raster: Raster, to path: String) throws {
        guard isTIFF(path) else {
            return try PNGFile.write(raster, to: path)
        }
        let tileSize = 256
        let options = TiledTIFFWriter.Options(
            tileSize: tileSize, pyramidLevels: TiledTIFFWriter.Options.automaticPyramidLevels(
                width: raster.width, height: raster.height, tileSize: tileSize))
        try TiledTIFFWriter.write(
            to: path, width: raster.width, height: raster.height, layout: raster.layout, bitDepth: raster.bitDepth,
            options: options
        ) { writer in
            for row in 0..<writer.tileRows {
                for column in 0..<writer.tileColumns {
                    try writer.write(raster.cropped(to: writer.tileRect(column: column, row: row)), column: column, row: row)
                }
            }
        }
    }

    /// Whether `path` names a TIFF output (`.tif`, `.tiff`).
    static func isTIFF(_ path: String) -> Bool {
        ["tif", "tiff"].contains((path as NSString).pathExtension.lowercased())
    }
}
