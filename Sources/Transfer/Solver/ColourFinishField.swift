import ImageIO
import Tensor

/// The colour finish of an image too large to hold (a streamed output), worked out on an
/// overview of it and applied to its tiles one at a time.
///
/// The finish adds to the image a change that is smooth by construction
/// (`DisplacementSmoothing`: a Gaussian of 1/32 of the long side), so the change can be found on
/// an area-averaged overview (its Gaussian then a few dozen overview pixels wide) and enlarged
/// bilinearly to any tile of the full image without losing anything the smoothing kept. The
/// colours the transport sees are the overview's, whose fine strokes are averaged away; the
/// painting's palette is still the target, and the strokes' own detail rides on the change.
///
/// Regions are not told apart: a streamed job's regions are automatic ones, which the in-memory
/// finish treats globally too (`MultiScaleStylizer.Inputs.colourFinish`).
public struct ColourFinishField: Sendable {
    /// The smoothed change on the overview, 3 × overviewHeight × overviewWidth, channel-major.
    private let change: [Float]
    private let overviewWidth: Int
    private let overviewHeight: Int
    /// Full-image pixels per overview pixel along each side.
    public let factor: Int

    /// - Parameters:
    ///   - overview: RGB 3×h×w in 0…1, the image area-averaged over `factor`×`factor` blocks
    ///     (`ColourFinishField.overviewFactor`; the last row and column of blocks may be partial).
    ///   - style: RGB in 0…1, the painting whose colour distribution is the target.
    ///   - strength: the fraction of the way to go (0…1), as `colour_finish`.
    ///   - seed: the transport's random directions.
    public init(overview: Tensor, factor: Int, style: Tensor, strength: Float, seed: UInt64) {
        precondition(overview.channels == 3 && factor >= 1, "the overview is RGB and the factor at least 1")
        let transported = PaletteTransfer.matchDistributions(content: overview, style: style, labels: nil, seed: seed)
        if strength < 1 {
            transported.withUnsafeMutableBufferPointer { target in
                overview.withUnsafeBufferPointer { source in
                    for i in 0..<target.count { target[i] = source[i] + strength * (target[i] - source[i]) }
                }
            }
        }
        change = DisplacementSmoothing.smoothedChange(
            image: overview, finished: transported, labels: nil, count: 1,
            sigma: DisplacementSmoothing.sigma(height: overview.height, width: overview.width))
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
    /// added, enlarged bilinearly from the overview, and clamped to 0…1.
    public func apply(to pixels: Tensor, at rect: PixelRect) -> Tensor {
        precondition(pixels.channels == 3 && pixels.height == rect.height && pixels.width == rect.width,
                      "the pixels are the RGB pixels of the rectangle")
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
                        for c in 0..<3 {
                            let base = c * overviewPlane
                            let top = change[base + y0 * overviewWidth + x0] * (1 - wx)
                                + change[base + y0 * overviewWidth + x1] * wx
                            let bottom = change[base + y1 * overviewWidth + x0] * (1 - wx)
                                + change[base + y1 * overviewWidth + x1] * wx
                            out[c * plane + p] = min(max(source[c * plane + p] + top * (1 - wy) + bottom * wy, 0), 1)
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
