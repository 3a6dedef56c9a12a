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

    /// The key length for feature patches of length `featureLength` and DSS patches of length
    /// `semanticLength` (0 when there is no DSS).
    public static func length(featureLength: Int, semanticLength: Int) -> Int { featureLength + semanticLength }

    /// Fills `keys` (1 × P × (F + S)) from feature patches (1 × P × F) and optional DSS patches
    /// (1 × P × S): row p = [f_p / ‖f_p‖, w · d_p / ‖d_p‖].
    public static func build(
        featurePatches: Tensor, semanticPatches: Tensor?, semanticWeight: Float, into keys: Tensor
    ) {
        let count = featurePatches.height, featureLength = featurePatches.width
        let semanticLength = semanticPatches?.width ?? 0
        precondition(semanticPatches == nil || semanticPatches!.height == count, "DSS patches do not match features")
        precondition(keys.shape == Shape(channels: 1, height: count, width: featureLength + semanticLength),
                     "keys shape \(keys.shape)")
        let keyLength = featureLength + semanticLength
        featurePatches.withUnsafeBufferPointer { features in
            keys.withUnsafeMutableBufferPointer { out in
                for p in 0..<count {
                    normalise(features.baseAddress! + p * featureLength, count: featureLength, scale: 1,
                              into: out.baseAddress! + p * keyLength)
                }
            }
        }
        guard let semanticPatches else { return }
        semanticPatches.withUnsafeBufferPointer { semantics in
            keys.withUnsafeMutableBufferPointer { out in
                for p in 0..<count {
                    normalise(semantics.baseAddress! + p * semanticLength, count: semanticLength, scale: semanticWeight,
                              into: out.baseAddress! + p * keyLength + featureLength)
                }
            }
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
