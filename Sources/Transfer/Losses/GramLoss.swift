import Tensor

/// Gatys et al.'s style loss at one layer, for the `gatys` baseline: the mean squared difference
/// of Gram matrices, L = (1/C²) ‖G(F) − G(S)‖².
public final class GramLoss {
    public let targetGram: Tensor
    private let gram: Tensor
    private let gramGradient: Tensor

    /// - Parameter styleFeatures: the style's features at this layer (any H×W: Gram matrices
    ///   are normalised by the pixel count, so the style may differ in size from the image).
    public init(styleFeatures: Tensor) {
        targetGram = Tensor(Gram.shape(for: styleFeatures.shape))
        Gram.forward(styleFeatures, into: targetGram)
        gram = Tensor(targetGram.shape)
        gramGradient = Tensor(targetGram.shape)
    }

    public func evaluate(features: Tensor, gradient: Tensor) -> Double {
        precondition(Gram.shape(for: features.shape) == targetGram.shape, "Gram loss features \(features.shape)")
        Gram.forward(features, into: gram)
        let count = gram.count
        let scale = 2 / Float(count)
        var sum = 0.0
        for i in 0..<count {
            let d = gram[flat: i] - targetGram[flat: i]
            sum += Double(d * d)
            gramGradient[flat: i] = scale * d
        }
        Gram.backward(features: features, gramGradient: gramGradient, into: gradient)
        return sum / Double(count)
    }
}
