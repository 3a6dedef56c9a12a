import Tensor

extension Tensor {
    /// self += other, elementwise (gradients arriving at the same layer from several losses).
    func add(_ other: Tensor) {
        precondition(other.shape == shape, "add \(other.shape) to \(shape)")
        other.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                for i in 0..<target.count { target[i] += source[i] }
            }
        }
    }
}
