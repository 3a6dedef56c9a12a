import Tensor

/// The content loss: the mean squared difference between the image's features and the
/// content's at one layer (relu4_2 by default), L = (1/N) ‖F − T‖², ∂L/∂F = (2/N)(F − T).
/// The mean (not the sum of the paper) keeps weights comparable across image sizes.
public final class ContentLoss {
    public let target: Tensor

    public init(target: Tensor) { self.target = target }

    /// The loss at `features`, with its gradient written into `gradient`.
    public func evaluate(features: Tensor, gradient: Tensor) -> Double {
        precondition(features.shape == target.shape && gradient.shape == target.shape,
                     "content loss shapes \(features.shape), \(gradient.shape), target \(target.shape)")
        let count = target.count
        let scale = 2 / Float(count)
        var loss = 0.0
        features.withUnsafeBufferPointer { f in
            target.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    var sum = 0.0
                    for i in 0..<count {
                        let d = f[i] - t[i]
                        sum += Double(d * d)
                        g[i] = scale * d
                    }
                    loss = sum
                }
            }
        }
        return loss / Double(count)
    }
}
