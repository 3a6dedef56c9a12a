import Foundation
import ImageIO
import Pipeline
import Semantics
import Tensor

/// The image written at the end of a run: the stylised colour, at the content's bit depth, with
/// the content's alpha carried over (resampled when the output size differs), in the format the
/// output's extension names.
enum OutputImage {
    /// How the output is written: `--quality` and `--tiled`.
    typealias Options = ImageWriter.Options

    /// A TIFF output above this many pixels is tiled with a pyramid even without `--tiled`: the
    /// size above which a job streams (`StylizeJob.streamingPixels`), where viewers need tiles.
    static let tiledAbovePixels = 4096 * 4096

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

    /// The format the output's extension names.
    /// - Throws: `UsageError` (exit 2) naming the path and the accepted extensions.
    static func format(of path: String) throws -> OutputFormat {
        guard let format = OutputFormat(path: path) else { throw UsageError(unknownExtension(path)) }
        return format
    }

    /// The message for an output whose extension names no format.
    static func unknownExtension(_ path: String) -> String {
        let given = (path as NSString).pathExtension
        return "\(path): unknown output extension \(given.isEmpty ? "(none)" : "\".\(given)\""); use one of "
            + OutputFormat.extensionList
    }

    /// Throws when a `width`×`height` output cannot be written as `format` (a side above WebP's or
    /// JPEG's limit, or more pixels than a PNG, JPEG or WebP is encoded from in memory), so that
    /// the run stops before any work rather than after it.
    /// - Throws: `UsageError` naming the path, the size and the limit.
    static func check(_ format: OutputFormat, path: String, width: Int, height: Int) throws {
        if let limit = format.maximumSide, max(width, height) > limit {
            throw UsageError(
                "\(path): a \(width)x\(height) output is above the \(limit)-pixel side limit of"
                    + " .\(format.extensions[0]) files; give a smaller --size or write .tif")
        }
        let limit = LevelOutputWriter.pngPixelLimit
        if format != .tiff, width * height > limit {
            throw UsageError(
                "\(path): a \(width)x\(height) output is above the \(limit)-pixel limit of .\(format.extensions[0])"
                    + " files (encoded in memory); give a smaller --size or write .tif")
        }
    }

    /// Writes `raster` to `path` in the format of its extension: PNG, JPEG, WebP, or TIFF (in
    /// strips; tiled with a pyramid when `options.tiled` or the image is above `tiledAbovePixels`).
    static func write(_ raster: Raster, to path: String, options: Options = .init()) throws {
        var options = options
        options.tiled = options.tiled || raster.width * raster.height > tiledAbovePixels
        try ImageWriter.write(raster, to: path, format: try format(of: path), options: options)
    }

    /// What the output's format loses from the content, one warning line each (naming the output):
    /// JPEG and WebP are 8-bit; JPEG has no alpha.
    static func warnings(output path: String, contentBitDepth: BitDepth, contentHasAlpha: Bool) -> [String] {
        guard let format = OutputFormat(path: path) else { return [] }
        let name = format.name
        var lines: [String] = []
        if contentBitDepth == .sixteen && !format.keepsSixteenBits {
            lines.append(
                "\(path): \(name) is 8-bit; the 16-bit content is written at 8 bits (use .png or .tif to keep 16)")
        }
        if contentHasAlpha && !format.keepsAlpha {
            lines.append("\(path): JPEG has no alpha; the content's alpha channel is dropped (use .png, .webp or .tif)")
        }
        return lines
    }
}
