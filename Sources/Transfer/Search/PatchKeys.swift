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

    /// Patch rows whose patch matrices `build(maps:weights:into:)` holds at once.
    static let bandRows = 8

    /// Fills `keys` as `build(featurePatches:semanticPatches:weights:into:)` does from the patch
    /// matrices of `maps` (the features, then each DSS group, all of one height and width), without
    /// those matrices: a key depends on its own patch alone, so the keys are made by bands of
    /// `bandRows` patch rows, bit for bit the rows of one build over the whole maps, while holding a
    /// band's patches instead of the whole maps' (as large as the keys).
    public static func build(maps: [Tensor], weights: [Float], into keys: Tensor) {
        let (height, width) = (maps[0].height, maps[0].width)
        precondition(maps.allSatisfy { $0.height == height && $0.width == width }, "maps of different sizes")
        precondition(maps.count == weights.count + 1, "one weight per DSS group")
        let rows = max(height - 2, 0), columns = max(width - 2, 0)
        let length = maps.reduce(0) { $0 + $1.channels * 9 }
        precondition(keys.shape == Shape(channels: 1, height: rows * columns, width: length),
                     "keys shape \(keys.shape) for maps of \(height)×\(width)")
        var first = 0
        while first < rows {
            let bandRows = min(Self.bandRows, rows - first)
            let patches = maps.map { map -> Tensor in
                let band = map.rows(first..<(first + bandRows + 2))
                let patches = Tensor(Patches.shape(for: band.shape))
                Patches.extract(band, into: patches)
                return patches
            }
            let band = Tensor(Shape(channels: 1, height: bandRows * columns, width: length))
            build(featurePatches: patches[0], semanticPatches: Array(patches.dropFirst()), weights: weights, into: band)
            keys.withUnsafeMutableBufferPointer { target in
                band.withUnsafeBufferPointer { source in
                    let rows = target.baseAddress! + first * columns * length
                    rows.update(from: source.baseAddress!, count: source.count)
                }
            }
            first += bandRows
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

extension Tensor {
    /// A copy of rows `range` of every channel.
    fileprivate func rows(_ range: Range<Int>) -> Tensor {
        let band = Tensor(Shape(channels: channels, height: range.count, width: width))
        withUnsafeBufferPointer { source in
            band.withUnsafeMutableBufferPointer { target in
                for c in 0..<channels {
                    (target.baseAddress! + c * range.count * width).update(
                        from: source.baseAddress! + (c * height + range.lowerBound) * width, count: range.count * width)
                }
            }
        }
        return band
    }
}
