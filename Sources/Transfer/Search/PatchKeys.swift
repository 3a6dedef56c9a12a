import Tensor

/// The search keys of 3×3 patches: each patch's feature part and its deep-semantic-space (DSS)
/// part, each scaled to unit length, the DSS part then multiplied by a weight.
///
/// With keys built this way the dot product of a query key and a style key is exactly the
/// matching score of the method, cos(feature parts) + w · cos(DSS parts) (CNNMRF's normalised
/// cross-correlation, extended with Neural Doodle's semantic channels), so the exact search
/// is one matrix product followed by an arg-max (DESIGN.md §1).
public enum PatchKeys {
    /// Norms below this are treated as this: an all-zero patch (a dead ReLU region) gets a zero
    /// key, which scores 0 against everything, instead of a division by zero.
    static let minimumNorm: Float = 1e-6

    /// Fills `keys` (1 × P × (F + S₁ + S₂ + …)) from feature patches (1 × P × F) and groups of
    /// DSS patches (1 × P × Sᵢ, e.g. segmentation and illumination), each group with its weight:
    /// row p = [f_p / ‖f_p‖, w₁ · d¹_p / ‖d¹_p‖, w₂ · d²_p / ‖d²_p‖, …], so that a dot product of
    /// a query key and a style key built with unit weights is cos(f) + Σᵢ wᵢ · cos(dⁱ).
    public static func build(featurePatches: Tensor, semanticPatches: [Tensor], weights: [Float], into keys: Tensor) {
        let count = featurePatches.height
        precondition(semanticPatches.count == weights.count, "one weight per DSS group")
        precondition(semanticPatches.allSatisfy { $0.height == count }, "DSS patches do not match features")
        let keyLength = featurePatches.width + semanticPatches.reduce(0) { $0 + $1.width }
        precondition(keys.shape == Shape(channels: 1, height: count, width: keyLength), "keys shape \(keys.shape)")
        var offset = 0
        for (group, weight) in zip([featurePatches] + semanticPatches, [1] + weights) {
            let length = group.width
            group.withUnsafeBufferPointer { source in
                keys.withUnsafeMutableBufferPointer { out in
                    for p in 0..<count {
                        normalise(source.baseAddress! + p * length, count: length, scale: weight,
                                  into: out.baseAddress! + p * keyLength + offset)
                    }
                }
            }
            offset += length
        }
    }

    private static func normalise(
        _ source: UnsafePointer<Float>, count: Int, scale: Float, into target: UnsafeMutablePointer<Float>
    ) {
        var sum: Float = 0
        for i in 0..<count { sum += source[i] * source[i] }
        let norm = sum.squareRoot()
        let factor = norm < minimumNorm ? 0 : scale / norm
        for i in 0..<count { target[i] = source[i] * factor }
    }
}
