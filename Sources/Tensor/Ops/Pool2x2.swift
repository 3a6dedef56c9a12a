/// 2×2 pooling with stride 2, as between VGG's blocks. An odd last row or column is dropped
/// (output floor(H/2) × floor(W/2)), as in Caffe's and PyTorch's default.
public enum Pool2x2 {
    public enum Kind: String, Sendable, CaseIterable {
        /// VGG's own pooling.
        case max
        /// Smoother gradients for synthesis (Gatys et al. 2016 replace max by average).
        case average
    }

    /// The output shape for an input shape.
    public static func outputShape(for input: Shape) -> Shape {
        Shape(channels: input.channels, height: input.height / 2, width: input.width / 2)
    }

    public static func forward(_ input: Tensor, into output: Tensor, kind: Kind) {
        precondition(output.shape == outputShape(for: input.shape), "Pool2x2 output \(output.shape) for \(input.shape)")
        let src = SharedPointer(input.storage)
        let dst = SharedPointer(output.storage)
        let (h, w, oh, ow) = (input.height, input.width, output.height, output.width)
        Engine.parallelChunks(input.channels) { channels in
            for c in channels {
                let plane = src.base + c * h * w
                let out = dst.base + c * oh * ow
                for y in 0..<oh {
                    let top = plane + 2 * y * w
                    let bottom = top + w
                    for x in 0..<ow {
                        let a = top[2 * x], b = top[2 * x + 1], d = bottom[2 * x], e = bottom[2 * x + 1]
                        out[y * ow + x] = kind == .max ? max(max(a, b), max(d, e)) : 0.25 * ((a + b) + (d + e))
                    }
                }
            }
        }
    }

    /// inputGradient = ∂L/∂input. For max pooling the gradient goes to the first maximum of each
    /// window in reading order (recomputed from `input`); average pooling spreads it evenly.
    /// Rows and columns that the forward dropped get zero.
    public static func backward(input: Tensor, outputGradient: Tensor, into inputGradient: Tensor, kind: Kind) {
        precondition(outputGradient.shape == outputShape(for: input.shape) && inputGradient.shape == input.shape,
                     "Pool2x2 backward shapes \(outputGradient.shape) → \(inputGradient.shape)")
        let src = SharedPointer(input.storage)
        let g = SharedPointer(outputGradient.storage)
        let dx = SharedPointer(inputGradient.storage)
        let (h, w, oh, ow) = (input.height, input.width, outputGradient.height, outputGradient.width)
        Engine.parallelChunks(input.channels) { channels in
            for c in channels {
                let plane = src.base + c * h * w
                let grad = dx.base + c * h * w
                let upstream = g.base + c * oh * ow
                grad.update(repeating: 0, count: h * w)
                for y in 0..<oh {
                    for x in 0..<ow {
                        let value = upstream[y * ow + x]
                        let i0 = 2 * y * w + 2 * x
                        if kind == .average {
                            let quarter = 0.25 * value
                            grad[i0] = quarter; grad[i0 + 1] = quarter
                            grad[i0 + w] = quarter; grad[i0 + w + 1] = quarter
                        } else {
                            var best = i0
                            if plane[i0 + 1] > plane[best] { best = i0 + 1 }
                            if plane[i0 + w] > plane[best] { best = i0 + w }
                            if plane[i0 + w + 1] > plane[best] { best = i0 + w + 1 }
                            grad[best] = value
                        }
                    }
                }
            }
        }
    }
}
