import Tensor

/// Central finite differences of a scalar function of a tensor, the independent reference that
/// every backward pass is checked against.
public enum GradientCheck {
    /// The relative error, in the max norm, between an analytic gradient and central differences
    /// of `loss` at the given flat indices of `input`:
    /// max |analytic − numeric| / max |numeric|.
    ///
    /// `loss` must read `input` afresh on each call (the check perturbs it in place and restores it).
    /// Evaluate `loss` in Float64 where you can: the difference of two Float32 sums loses digits.
    public static func relativeError(
        of analytic: Tensor, input: Tensor, indices: [Int]? = nil, step: Float = 1e-2,
        loss: () -> Double
    ) -> Double {
        precondition(analytic.shape == input.shape, "gradient \(analytic.shape) for input \(input.shape)")
        var worstDifference = 0.0
        var largest = 0.0
        for index in indices ?? Array(0..<input.count) {
            let saved = input[flat: index]
            input[flat: index] = saved + step
            let plus = loss()
            input[flat: index] = saved - step
            let minus = loss()
            input[flat: index] = saved
            let numeric = (plus - minus) / (2 * Double(step))
            worstDifference = max(worstDifference, abs(Double(analytic[flat: index]) - numeric))
            largest = max(largest, abs(numeric))
        }
        precondition(largest > 0, "all finite differences are zero: the check would prove nothing")
        return worstDifference / largest
    }

    /// Σ weights ⊙ values in Float64: a random linear functional that turns a tensor-valued
    /// operation into a scalar loss whose gradient with respect to the output is `weights`.
    public static func dot(_ weights: Tensor, _ values: Tensor) -> Double {
        weights.dot(values)
    }

    /// `count` distinct flat indices of a tensor with `total` elements, spread deterministically.
    public static func sampleIndices(total: Int, count: Int, seed: UInt64 = 7) -> [Int] {
        if count >= total { return Array(0..<total) }
        var random = SeededRandom(seed: seed)
        var chosen = Set<Int>()
        while chosen.count < count { chosen.insert(Int.random(in: 0..<total, using: &random)) }
        return chosen.sorted()
    }
}
