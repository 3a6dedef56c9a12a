import ImageIO
import Tensor

/// The colour finish of an image too large to hold (a streamed output), worked out on an
/// overview of it and applied to its tiles one at a time.
///
/// The finish adds to the image a change that is a guided filter of the transport's change, its
/// guide the content's brightness (`DisplacementSmoothing`): change = a·g + b with coefficients
/// a and b averaged over windows 3/64 of the long side wide, smooth by construction. So they can
/// be found on an area-averaged overview and enlarged bilinearly to any tile of the full image,
/// where they meet the content's own brightness at full resolution (He & Sun 2015's fast guided
/// filter): the change keeps following the content's edges. The colours the transport sees are
/// the overview's, whose fine strokes are averaged away; the painting's palette is still the
/// target, and the strokes' own detail rides on the change.
///
/// Regions are not told apart: a streamed job's regions are automatic ones, which the in-memory
/// finish treats globally too (`MultiScaleStylizer.Inputs.colourFinish`).
public struct ColourFinishField: Sendable {
    /// The guided filter's coefficients on the overview, 3 × overviewHeight × overviewWidth each.
    private let fit: DisplacementSmoothing.Coefficients
    private let overviewWidth: Int
    private let overviewHeight: Int
    /// Full-image pixels per overview pixel along each side.
    public let factor: Int

    /// - Parameters:
    ///   - overview: RGB 3×h×w in 0…1, the image area-averaged over `factor`×`factor` blocks
    ///     (`ColourFinishField.overviewFactor`; the last row and column of blocks may be partial).
    ///   - content: RGB 3×h×w, the content at the overview's size (the same blocks' means).
    ///   - style: RGB in 0…1, the painting whose colour distribution is the target.
    ///   - strength: the fraction of the way to go (0…1), as `colour_finish`.
    ///   - seed: the transport's random directions.
    public init(overview: Tensor, content: Tensor, factor: Int, style: Tensor, strength: Float, seed: UInt64) {
        precondition(overview.channels == 3 && factor >= 1, "the overview is RGB and the factor at least 1")
        precondition(content.shape == overview.shape, "the content is given at the overview's size")
        let transported = PaletteTransfer.matchDistributions(content: overview, style: style, labels: nil, seed: seed)
        if strength < 1 {
            transported.withUnsafeMutableBufferPointer { target in
                overview.withUnsafeBufferPointer { source in
                    for i in 0..<target.count { target[i] = source[i] + strength * (target[i] - source[i]) }
                }
            }
        }
        fit = DisplacementSmoothing.coefficients(
            image: overview, finished: transported, guide: DisplacementSmoothing.guide(content), labels: nil, count: 1,
            radius: DisplacementSmoothing.radius(height: overview.height, width: overview.width))
        overviewWidth = overview.width
        overviewHeight = overview.height
        self.factor = factor
    }

    /// The block side that brings an image of this size to at most `side` pixels on its long
    /// side (1 when it is already that small).
    public static func overviewFactor(width: Int, height: Int, side: Int = 1024) -> Int {
        max(1, (max(width, height) + side - 1) / side)
    }

    /// `pixels` (RGB 3×rect.height×rect.width, the image's pixels of `rect`) with the change
    /// added: the coefficients enlarged bilinearly from the overview, applied to the brightness of
    /// `content` (the content's RGB pixels of `rect` at the full image's size); clamped to 0…1.
    public func apply(to pixels: Tensor, content: Tensor, at rect: PixelRect) -> Tensor {
        precondition(pixels.channels == 3 && pixels.height == rect.height && pixels.width == rect.width,
                      "the pixels are the RGB pixels of the rectangle")
        precondition(content.shape == pixels.shape, "the content is given for the same rectangle")
        let guide = DisplacementSmoothing.guide(content)
        let plane = rect.width * rect.height, overviewPlane = overviewWidth * overviewHeight
        let columns = (0..<rect.width).map { axisSample(rect.x + $0, count: overviewWidth) }
        let result = Tensor(pixels.shape)
        result.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { source in
                for row in 0..<rect.height {
                    let (y0, y1, wy) = axisSample(rect.y + row, count: overviewHeight)
                    for column in 0..<rect.width {
                        let (x0, x1, wx) = columns[column]
                        let p = row * rect.width + column
                        func enlarged(_ values: [Float], _ base: Int) -> Float {
                            let top = values[base + y0 * overviewWidth + x0] * (1 - wx)
                                + values[base + y0 * overviewWidth + x1] * wx
                            let bottom = values[base + y1 * overviewWidth + x0] * (1 - wx)
                                + values[base + y1 * overviewWidth + x1] * wx
                            return top * (1 - wy) + bottom * wy
                        }
                        for c in 0..<3 {
                            let base = c * overviewPlane
                            let change = enlarged(fit.a, base) * guide[p] + enlarged(fit.b, base)
                            out[c * plane + p] = min(max(source[c * plane + p] + change, 0), 1)
                        }
                    }
                }
            }
        }
        return result
    }

    /// The two overview samples around full-image coordinate `i` and the weight of the second:
    /// overview pixel j is centred on the middle of its block, (j + ½)·factor − ½.
    private func axisSample(_ i: Int, count: Int) -> (Int, Int, Float) {
        let u = min(max((Float(i) + 0.5) / Float(factor) - 0.5, 0), Float(count - 1))
        let lower = Int(u)
        return (lower, min(lower + 1, count - 1), u - Float(lower))
    }
}
