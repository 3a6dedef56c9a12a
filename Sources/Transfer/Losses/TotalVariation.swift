import Tensor

/// Total variation of an image, a smoothness prior against high-frequency noise:
/// L = (1/N) Σ [(x[y][x+1] − x[y][x])² + (x[y+1][x] − x[y][x])²] over every channel,
/// with N the number of elements.
public enum TotalVariation {
    /// The loss at `image`; its gradient is *added* to `gradient` scaled by `weight`, and the
    /// loss returned is also scaled by `weight`.
    public static func accumulate(_ image: Tensor, weight: Float, into gradient: Tensor) -> Double {
        precondition(gradient.shape == image.shape, "TV gradient \(gradient.shape) for \(image.shape)")
        let (h, w) = (image.height, image.width)
        let scale = weight / Float(image.count)
        var loss = 0.0
        image.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableBufferPointer { g in
                for c in 0..<image.channels {
                    let plane = c * h * w
                    var sum: Float = 0
                    for y in 0..<h {
                        for xx in 0..<w {
                            let i = plane + y * w + xx
                            if xx + 1 < w {
                                let d = x[i + 1] - x[i]
                                sum += d * d
                                g[i + 1] += 2 * scale * d
                                g[i] -= 2 * scale * d
                            }
                            if y + 1 < h {
                                let d = x[i + w] - x[i]
                                sum += d * d
                                g[i + w] += 2 * scale * d
                                g[i] -= 2 * scale * d
                            }
                        }
                    }
                    loss += Double(sum)
                }
            }
        }
        return loss * Double(scale)
    }
}
