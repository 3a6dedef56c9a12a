import ImageIO
import Tensor
import Transfer

/// What becomes of the final canvas's colours as a streamed output is written, tile by tile
/// (`LevelOutputWriter`): the same choices as an in-memory output's (`colour_finish`,
/// `preserve_colors`), made without ever holding the image.
public enum OutputFinish {
    /// The painting's palette, through a change worked out on an overview of the canvas and
    /// guided by the content, read by rectangle at the output's size.
    case colourFinish(ColourFinishField, LevelContentSource)
    /// The content's colours under the canvas's luminance (`ColourPreservation`), the content
    /// read by rectangle at the output's size.
    case preservingColours(LevelContentSource)

    /// The colour finish of `canvas`: its overview (at most `overviewSide` on the long side)
    /// moved to `style`'s colour distribution, the change guided by `content`'s edges.
    /// - Throws: `ImageIOError` when the content cannot be read.
    public static func colourFinish(
        of canvas: any Canvas, content: LevelContentSource, style: Tensor, strength: Float, seed: UInt64,
        overviewSide: Int = 1024
    ) throws -> OutputFinish {
        let factor = ColourFinishField.overviewFactor(width: canvas.width, height: canvas.height, side: overviewSide)
        let overview = CanvasOverview.read(canvas, factor: factor)
        let contentOverview = try CanvasOverview.blockMeans(
            channels: 3, width: content.width, height: content.height, factor: factor, read: content.read)
        let field = ColourFinishField(
            overview: overview, content: contentOverview, factor: factor, style: style, strength: strength, seed: seed)
        return .colourFinish(field, content)
    }

    /// The finished pixels of `rect` (`pixels` are the canvas's, 3 × rect.height × rect.width).
    /// - Throws: `ImageIOError` when the content cannot be read.
    func apply(to pixels: Tensor, at rect: PixelRect) throws -> Tensor {
        switch self {
        case .colourFinish(let field, let content):
            return field.apply(to: pixels, content: try content.read(rect), at: rect)
        case .preservingColours(let content):
            return ColourPreservation.apply(stylised: pixels, content: try content.read(rect))
        }
    }
}

/// A small picture of a canvas: the mean of each `factor`×`factor` block (partial blocks at the
/// right and bottom edges averaged over the pixels they have), read one band of rows at a time.
public enum CanvasOverview {
    public static func read(_ canvas: any Canvas, factor: Int) -> Tensor {
        blockMeans(channels: canvas.channels, width: canvas.width, height: canvas.height, factor: factor) { band in
            let pixels = Tensor(channels: canvas.channels, height: band.height, width: band.width)
            canvas.read(band, into: pixels)
            return pixels
        }
    }

    /// The block means of any image read by rectangle (`read` gives channels × rect.height ×
    /// rect.width): one band of `factor` rows held at a time.
    public static func blockMeans<Failure: Error>(
        channels: Int, width: Int, height: Int, factor: Int, read: (PixelRect) throws(Failure) -> Tensor
    ) throws(Failure) -> Tensor {
        precondition(factor >= 1, "a block is at least one pixel")
        let columns = (width + factor - 1) / factor, rows = (height + factor - 1) / factor
        let overview = Tensor(channels: channels, height: rows, width: columns)
        let plane = rows * columns
        for row in 0..<rows {
            let band = PixelRect(x: 0, y: row * factor, width: width, height: min(factor, height - row * factor))
            let pixels = try read(band)
            let bandPlane = band.height * width
            overview.withUnsafeMutableBufferPointer { out in
                pixels.withUnsafeBufferPointer { source in
                    for column in 0..<columns {
                        let x0 = column * factor, x1 = min(x0 + factor, width)
                        let count = Double((x1 - x0) * band.height)
                        for c in 0..<channels {
                            var sum = 0.0
                            for y in 0..<band.height {
                                for x in x0..<x1 { sum += Double(source[c * bandPlane + y * width + x]) }
                            }
                            out[c * plane + row * columns + column] = Float(sum / count)
                        }
                    }
                }
            }
        }
        return overview
    }
}
