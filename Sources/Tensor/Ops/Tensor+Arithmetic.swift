/// Elementwise arithmetic on whole tensors: what the optimiser and the loss assembly need
/// (accumulating gradients, weighting them, inner products, clamping pixels), kept here so that
/// every module shares one implementation.
extension Tensor {
    /// self += factor · other (gradients from several losses arriving at one layer; L-BFGS's axpy).
    public func add(_ other: Tensor, scaledBy factor: Float = 1) {
        precondition(other.shape == shape, "add \(other.shape) to \(shape)")
        let source = other.storage
        for i in 0..<count { storage[i] += factor * source[i] }
    }

    /// self *= factor.
    public func scale(by factor: Float) {
        for i in 0..<count { storage[i] *= factor }
    }

    /// Σ self ⊙ other, accumulated in Float64.
    public func dot(_ other: Tensor) -> Double {
        precondition(other.shape == shape, "dot of \(shape) and \(other.shape)")
        var sum = 0.0
        for i in 0..<count { sum += Double(storage[i]) * Double(other.storage[i]) }
        return sum
    }

    /// The largest absolute value (0 for an empty tensor).
    public var maximumMagnitude: Float {
        var largest: Float = 0
        for i in 0..<count { largest = max(largest, abs(storage[i])) }
        return largest
    }

    /// Clamps every element into `range` (pixel bounds).
    public func clamp(to range: ClosedRange<Float>) {
        for i in 0..<count { storage[i] = min(max(storage[i], range.lowerBound), range.upperBound) }
    }
}
