/// The rectifier, max(0, x), elementwise.
public enum ReLU {
    /// output = max(0, input). `output` may be `input` (in place).
    public static func forward(_ input: Tensor, into output: Tensor) {
        precondition(input.shape == output.shape, "ReLU shapes \(input.shape) → \(output.shape)")
        let src = SharedPointer(input.storage)
        let dst = SharedPointer(output.storage)
        Engine.parallelChunks(input.count, minimumChunk: 1 << 16) { range in
            for i in range { dst.base[i] = max(src.base[i], 0) }
        }
    }

    /// inputGradient = outputGradient where the forward output was positive, else 0.
    /// Uses the forward *output* (so the input need not be kept); `inputGradient` may alias
    /// `outputGradient`.
    public static func backward(output: Tensor, outputGradient: Tensor, into inputGradient: Tensor) {
        precondition(output.shape == outputGradient.shape && output.shape == inputGradient.shape,
                     "ReLU backward shapes \(output.shape), \(outputGradient.shape), \(inputGradient.shape)")
        let y = SharedPointer(output.storage)
        let g = SharedPointer(outputGradient.storage)
        let dx = SharedPointer(inputGradient.storage)
        // Eight lanes at a time by hand: with the gradient possibly in place, the compiler keeps
        // the scalar loop, which took 5% of a 256² stylisation (perf).
        Engine.parallelChunks(output.count, minimumChunk: 1 << 16) { range in
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let outputs = UnsafeRawPointer(y.base + i).loadUnaligned(as: SIMD8<Float>.self)
                let gradients = UnsafeRawPointer(g.base + i).loadUnaligned(as: SIMD8<Float>.self)
                let passed = gradients.replacing(with: 0, where: .!(outputs .> 0))
                UnsafeMutableRawPointer(dx.base + i).storeBytes(of: passed, as: SIMD8<Float>.self)
                i += 8
            }
            for j in i..<range.upperBound { dx.base[j] = y.base[j] > 0 ? g.base[j] : 0 }
        }
    }
}
