import Tensor

/// A d-dimensional orthonormal basis in which the style's patch keys keep most of their energy
/// (their principal subspace, uncentred, since the score is a plain dot product): the
/// approximate search screens candidates there at d instead of D multiply-adds each, and
/// rescoring the few survivors with the full keys keeps the answer's score exact.
///
/// The basis comes from randomised subspace iteration (Halko, Martinsson & Tropp 2011) on a
/// strided sample of the bank: a few SGEMMs of (sample × d) instead of a D×D eigenproblem.
struct PatchProjection {
    /// d × D, orthonormal rows (a row that the bank does not need, when its rank is below d,
    /// is zero).
    let basis: Tensor

    var dimension: Int { basis.height }
    var length: Int { basis.width }

    /// - Parameters:
    ///   - bank: the style keys, 1 × N × D.
    ///   - dimension: d (at most D).
    ///   - samples: bank rows used to find the subspace (strided over the bank).
    ///   - iterations: subspace iterations; each sharpens the basis towards the top singular
    ///     vectors.
    init(bank: Tensor, dimension: Int, samples: Int = 4096, iterations: Int = 3, seed: UInt64) {
        let (count, length) = (bank.height, bank.width)
        let d = max(1, min(dimension, length))
        let m = max(1, min(count, samples))
        let sample: Tensor
        if m == count {
            sample = bank
        } else {
            sample = Tensor(Shape(channels: 1, height: m, width: length))
            bank.withUnsafeBufferPointer { source in
                sample.withUnsafeMutableBufferPointer { target in
                    for row in 0..<m {
                        let from = row * count / m
                        (target.baseAddress! + row * length).update(from: source.baseAddress! + from * length, count: length)
                    }
                }
            }
        }
        var random = SplitMix64(seed: seed)
        let basis = Tensor(Shape(channels: 1, height: d, width: length))
        basis.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = Float.random(in: -1...1, using: &random) }
        }
        let coefficients = Tensor(Shape(channels: 1, height: m, width: d))
        for _ in 0..<max(1, iterations) {
            sample.withUnsafeBufferPointer { a in
                basis.withUnsafeMutableBufferPointer { b in
                    coefficients.withUnsafeMutableBufferPointer { y in
                        // Y = A · Bᵀ (m × d), then B = Yᵀ · A (d × D): one step of AᵀA applied to B.
                        Matrix.multiply(.normal, a, lda: length, .transposed, UnsafeBufferPointer(b), ldb: length,
                                        into: y, ldc: d, m: m, n: d, k: length)
                        Matrix.multiply(.transposed, UnsafeBufferPointer(y), lda: d, .normal, a, ldb: length,
                                        into: b, ldc: length, m: d, n: length, k: m)
                    }
                }
            }
            Self.orthonormaliseRows(basis)
        }
        self.basis = basis
    }

    /// Writes the coordinates of each row of `keys` (1 × P × D) in the basis into `projected`
    /// (1 × P × d).
    func project(_ keys: Tensor, into projected: Tensor) {
        precondition(keys.width == length && projected.height == keys.height && projected.width == dimension,
                     "projecting \(keys.shape) into \(projected.shape) with a \(dimension)×\(length) basis")
        keys.withUnsafeBufferPointer { k in
            basis.withUnsafeBufferPointer { b in
                projected.withUnsafeMutableBufferPointer { out in
                    Matrix.multiply(.normal, k, lda: length, .transposed, b, ldb: length, into: out, ldc: dimension,
                                    m: keys.height, n: dimension, k: length)
                }
            }
        }
    }

    /// Modified Gram–Schmidt on the rows, run twice ("twice is enough" for Float32); a row left
    /// with almost nothing of its own length after removing the earlier ones (the bank has a
    /// lower rank) is set to zero.
    static func orthonormaliseRows(_ rows: Tensor) {
        let (count, length) = (rows.height, rows.width)
        rows.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for i in 0..<count {
                let row = base + i * length
                let original = Vector.dot(row, row, count: length).squareRoot()
                for _ in 0..<2 {
                    for j in 0..<i {
                        let other = base + j * length
                        let projection = Vector.dot(row, other, count: length)
                        for t in 0..<length { row[t] -= projection * other[t] }
                    }
                }
                let norm = Vector.dot(row, row, count: length).squareRoot()
                let factor: Float = norm > 1e-4 * original && norm > 0 ? 1 / norm : 0
                for t in 0..<length { row[t] *= factor }
            }
        }
    }
}
