import Network
import Tensor

/// The structure figure: how much of the content's drawing the output keeps, as the Pearson
/// correlation of the two images' HED edge maps (Xie & Tu 2015), pixel by pixel at the output's
/// size. 1 when the edges are where the content's are, with the same relative strength; about 0
/// when they are unrelated. Style transfer always trades some structure for the painting's
/// strokes, so this is read beside the colour and style figures, never alone.
public enum EdgeCorrelation {
    /// The long side at which the edge network runs at most: its activations take about 1 KB per
    /// pixel, 1 GB at 1024². Larger images are reduced, their edge maps enlarged back.
    public static let maximumSide = 1024

    /// The correlation of the edges of `output` and of `content` (RGB in 0…1; the content is
    /// resized to the output's size first).
    public static func structure(output: Tensor, content: Tensor, detector: HEDEdgeDetector) throws -> Double {
        let matched = content.resized(height: output.height, width: output.width)
        let outputEdges = try detector.edges(of: output, maximumSide: maximumSide)
        let contentEdges = try detector.edges(of: matched, maximumSide: maximumSide)
        return pearson(outputEdges, contentEdges)
    }

    /// The Pearson correlation of two tensors of the same shape, element by element, in Float64.
    /// Defined as 0 when either is constant (its variance is 0 or a rounding error of its mean
    /// square): a flat picture has no edges to agree with, which is no structure kept, and the
    /// quotient would be 0/0.
    public static func pearson(_ a: Tensor, _ b: Tensor) -> Double {
        precondition(a.shape == b.shape, "correlation of \(a.shape) and \(b.shape)")
        let n = Double(a.count)
        guard a.count > 0 else { return 0 }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                var sumX = 0.0, sumY = 0.0
                for i in 0..<x.count {
                    sumX += Double(x[i])
                    sumY += Double(y[i])
                }
                let meanX = sumX / n, meanY = sumY / n
                var covariance = 0.0, varianceX = 0.0, varianceY = 0.0, squareX = 0.0, squareY = 0.0
                for i in 0..<x.count {
                    let dx = Double(x[i]) - meanX, dy = Double(y[i]) - meanY
                    covariance += dx * dy
                    varianceX += dx * dx
                    varianceY += dy * dy
                    squareX += Double(x[i]) * Double(x[i])
                    squareY += Double(y[i]) * Double(y[i])
                }
                // Float32 inputs: a spread below ~1e-12 of the mean square is rounding, not signal.
                let flat = 1e-12
                guard varianceX > flat * squareX, varianceY > flat * squareY, varianceX > 0, varianceY > 0 else {
                    return 0
                }
                return min(1, max(-1, covariance / (varianceX * varianceY).squareRoot()))
            }
        }
    }
}
