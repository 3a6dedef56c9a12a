/// A 1×1 convolution plus bias: a per-pixel linear map of channels (HED's side outputs and
/// fusion layer). One SGEMM: Cout × Cin weights times the Cin × (H·W) input.
public final class Conv1x1: @unchecked Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    let weight: Tensor
    let bias: Tensor

    /// - Parameters:
    ///   - weight: Cout·Cin values, output channel major.
    ///   - bias: Cout values.
    public init(outputChannels: Int, inputChannels: Int, weight: [Float], bias: [Float]) {
        precondition(weight.count == outputChannels * inputChannels, "Conv1x1 weight has \(weight.count) values")
        precondition(bias.count == outputChannels, "Conv1x1 bias has \(bias.count) values")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.weight = Tensor(Shape(channels: 1, height: outputChannels, width: inputChannels), values: weight)
        self.bias = Tensor(Shape(channels: 1, height: 1, width: outputChannels), values: bias)
    }

    /// output = W · input + bias. Shapes: input Cin×H×W, output Cout×H×W.
    public func forward(_ input: Tensor, into output: Tensor) {
        precondition(input.channels == inputChannels, "Conv1x1 expects \(inputChannels) channels, got \(input.shape)")
        precondition(output.shape == Shape(channels: outputChannels, height: input.height, width: input.width),
                     "Conv1x1 output shape \(output.shape)")
        let plane = input.height * input.width
        for c in 0..<outputChannels {
            (output.storage + c * plane).update(repeating: bias.storage[c], count: plane)
        }
        Matrix.gemm(
            .normal, .normal, m: outputChannels, n: plane, k: inputChannels,
            a: weight.storage, lda: inputChannels, b: input.storage, ldb: plane,
            beta: 1, c: output.storage, ldc: plane)
    }

    /// inputGradient = Wᵀ · outputGradient.
    public func backward(outputGradient: Tensor, into inputGradient: Tensor) {
        precondition(outputGradient.channels == outputChannels && inputGradient.channels == inputChannels,
                     "Conv1x1 backward shapes \(outputGradient.shape) → \(inputGradient.shape)")
        let plane = outputGradient.height * outputGradient.width
        Matrix.gemm(
            .transposed, .normal, m: inputChannels, n: plane, k: outputChannels,
            a: weight.storage, lda: inputChannels, b: outputGradient.storage, ldb: plane,
            c: inputGradient.storage, ldc: plane)
    }
}
