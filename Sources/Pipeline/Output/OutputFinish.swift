import ImageIO
import Tensor
import Transfer

/// What becomes of the final canvas's colours as a streamed output is written, tile by tile
/// (`LevelOutputWriter`): the same choices as an in-memory output's (`colour_finish`,
/// `preserve_colors`), made without ever holding the image.
public enum OutputFinish {
    /// The painting's palette, through a change worked out on an overview of the canvas.
    case colourFinish(ColourFinishField)
    /// The content's colours under the canvas's luminance (`ColourPreservation`), the content
    /// read by rectangle at the output's size.
    case preservingColours(LevelContentSource)

    /// The colour finish of `canvas`: its overview (at most `overviewSide` on the long side)
    /// moved to `style`'s colour distribution.
    public static func colourFinish(
        of canvas: any Canvas, style: Tensor, strength: Float, seed: UInt64, overviewSide: Int = 1024
    ) -> OutputFinish {
        let factor = ColourFinishField.overviewFactor(width: canvas.width, height: canvas.height, side: overviewSide)
        let overview = CanvasOverview.read(canvas, factor: factor)
        return .colourFinish(ColourFinishField(overview: overview, factor: factor, style: style, strength: strength, seed: seed))
    }

    /// The finished pixels of `rect` (`pixels` are the canvas's, 3 × rect.height × rect.width).
    /// - Throws: `ImageIOError` when the content cannot be read.
    func apply(to pixels: Tensor, at rect: PixelRect) throws -> Tensor {
        switch self {
        case .colourFinish(let field):
            return field.apply(to: pixels, at: rect)
        case .preservingColours(let content):
            return ColourPreservation.apply(stylised: pixels, content: try content.read(rect))
        }
    }
}

/// A small picture of a canvas: the mean of each `factor`×`factor` block (partial blocks at the
/// right and bottom edges averaged over the pixels they have), read one band of rows at a time.
public enum CanvasOverview {
    public static func read(_ canvas: any Canvas, factor: Int) -> Tensor {
        precondition(factor >= 1, "a block is at least one pixel")
        let channels = canvas.channels, width = canvas.width, height = canvas.height
        let columns = (width + factor - 1) / factor, rows = (height + factor - 1) / factor
        let overview = Tensor(channels: channels, height: rows, width: columns)
        let plane = rows * columns
        overview.withUnsafeMutableBufferPointer { out in
            for row in 0..<rows {
                let band = PixelRect(x: 0, y: row * factor, width: width, height: min(factor, height - row * factor))
                let pixels = Tensor(channels: channels, height: band.height, width: width)
                canvas.read(band, into: pixels)
                let bandPlane = band.height * width
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
