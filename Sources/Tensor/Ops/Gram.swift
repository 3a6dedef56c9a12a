/// The Gram matrix of a feature map, G = F·Fᵀ / N, where F is the C × N matrix of the features
/// (N = H·W pixels): the channel correlations that Gatys et al.'s style loss matches
/// (the `gatys` baseline). Dividing by N makes G independent of the image size.
public enum Gram {
    /// The shape of the Gram matrix of `features`: 1 × C × C.
    public static func shape(for features: Shape) -> Shape {
        Shape(channels: 1, height: features.channels, width: features.channels)
    }

    /// gram = F·Fᵀ / N.
    public static func forward(_ features: Tensor, into gram: Tensor) {
        precondition(gram.shape == shape(for: features.shape), "Gram output \(gram.shape) for \(features.shape)")
        let c = features.channels, n = features.height * features.width
        Matrix.gemm(
            .normal, .transposed, m: c, n: c, k: n, alpha: 1 / Float(max(n, 1)),
            a: features.storage, lda: n, b: features.storage, ldb: n, c: gram.storage, ldc: c)
    }

    /// featuresGradient = (∂L/∂G + (∂L/∂G)ᵀ) · F / N.
    public static func backward(features: Tensor, gramGradient: Tensor, into featuresGradient: Tensor) {
        precondition(gramGradient.shape == shape(for: features.shape) && featuresGradient.shape == features.shape,
                     "Gram backward shapes \(gramGradient.shape) → \(featuresGradient.shape)")
        let c = features.channels, n = features.height * features.width
        let scale = 1 / Float(max(n, 1))
        Matrix.gemm(
            .normal, .normal, m: c, n: n, k: c, alpha: scale, a: gramGradient.storage, lda: c,
            b: features.storage, ldb: n, c: featuresGradient.storage, ldc: n)
        Matrix.gemm(
            .transposed, .normal, m: c, n: n, k: c, alpha: scale, a: gramGradient.storage, lda: c,
            b: features.storage, ldb: n, beta: 1, c: featuresGradient.storage, ldc: n)
    }
}
