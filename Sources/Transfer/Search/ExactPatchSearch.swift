import Tensor

/// Exact nearest-neighbour search over a style patch bank: blocks of (queries × style keys)
/// scores by SGEMM, each block reduced at once by a fused arg-max, so memory stays at one
/// `queryBlock × bankBlock` score block whatever the image and style sizes.
///
/// Ties go to the lowest style index, which makes the result independent of blocking.
public final class ExactPatchSearch: NearestPatchSearch {
    /// Style keys, 1 × N × D.
    public let bank: Tensor
    public let queryBlock: Int
    public let bankBlock: Int
    private let scoreBlock: Tensor

    /// - Parameters:
    ///   - bank: the style patches' keys (1 × N × D), see `PatchKeys`.
    ///   - queryBlock, bankBlock: the score block size (bounded memory: 4 · q · b bytes).
    public init(bank: Tensor, queryBlock: Int = 256, bankBlock: Int = 4096) {
        precondition(bank.height > 0, "an empty style patch bank")
        self.bank = bank
        self.queryBlock = max(1, queryBlock)
        self.bankBlock = max(1, min(bankBlock, bank.height))
        scoreBlock = Tensor(Shape(channels: 1, height: self.queryBlock, width: self.bankBlock))
    }

    /// FLOPs of one search of `queries` patches: 2 · P · N · D.
    public func flops(queries: Int) -> Double {
        2 * Double(queries) * Double(bank.height) * Double(bank.width)
    }

    /// Ignores the grid, the seed and any field on entry: it scores every query against every
    /// style key.
    public func search(queries: Tensor, grid: PatchGrid, seed: UInt64, matches: inout [Int32], scores: inout [Float]) {
        let count = queries.height, length = bank.width, bankCount = bank.height
        precondition(grid.count == count, "a grid of \(grid.count) patches for \(count) queries")
        precondition(queries.width == length, "query keys of length \(queries.width), bank keys of length \(length)")
        if matches.count != count { matches = [Int32](repeating: 0, count: count) }
        if scores.count != count { scores = [Float](repeating: 0, count: count) }
        scores.withUnsafeMutableBufferPointer { best in
            matches.withUnsafeMutableBufferPointer { index in
                for q in 0..<count { best[q] = -.infinity; index[q] = 0 }
                queries.withUnsafeBufferPointer { query in
                    bank.withUnsafeBufferPointer { keys in
                        scoreBlock.withUnsafeMutableBufferPointer { block in
                            var q0 = 0
                            while q0 < count {
                                let rows = min(queryBlock, count - q0)
                                var b0 = 0
                                while b0 < bankCount {
                                    let columns = min(bankBlock, bankCount - b0)
                                    Matrix.multiply(
                                        .normal, UnsafeBufferPointer(rebasing: query[(q0 * length)...]), lda: length,
                                        .transposed, UnsafeBufferPointer(rebasing: keys[(b0 * length)...]), ldb: length,
                                        into: block, ldc: columns, m: rows, n: columns, k: length)
                                    for r in 0..<rows {
                                        let row = block.baseAddress! + r * columns
                                        var bestValue = best[q0 + r], bestIndex = index[q0 + r]
                                        for c in 0..<columns where row[c] > bestValue {
                                            bestValue = row[c]
                                            bestIndex = Int32(b0 + c)
                                        }
                                        best[q0 + r] = bestValue
                                        index[q0 + r] = bestIndex
                                    }
                                    b0 += columns
                                }
                                q0 += rows
                            }
                        }
                    }
                }
            }
        }
    }
}
