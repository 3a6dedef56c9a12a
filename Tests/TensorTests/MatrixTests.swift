import TestSupport
import XCTest

@testable import Tensor

/// SGEMM through `Matrix`: right against a Float64 loop in every layout, and the same bits
/// whatever the engine's thread count (OpenBLAS's own threads do not give that: see `Matrix`).
final class MatrixTests: XCTestCase {
    private static let layouts: [(Matrix.Layout, Matrix.Layout)] = [
        (.normal, .normal), (.normal, .transposed), (.transposed, .normal), (.transposed, .transposed),
    ]

    /// c = alpha · op(a) · op(b) + beta · c with a, b stored as `layoutA`, `layoutB` say, on `threads` threads.
    private func product(
        _ layoutA: Matrix.Layout, _ layoutB: Matrix.Layout, m: Int, n: Int, k: Int, seed: UInt64,
        beta: Float = 0, threads: Int
    ) -> (a: [Float], b: [Float], c0: [Float], c: [Float]) {
        var random = SeededRandom(seed: seed)
        let a = random.floats(m * k), b = random.floats(k * n), c0 = random.floats(m * n)
        var c = c0
        let saved = Engine.threads
        Engine.setThreads(threads)
        defer { Engine.setThreads(saved) }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    Matrix.multiply(
                        layoutA, a, lda: layoutA == .normal ? k : m, layoutB, b, ldb: layoutB == .normal ? n : k,
                        into: c, ldc: n, m: m, n: n, k: k, alpha: 0.5, beta: beta)
                }
            }
        }
        return (a, b, c0, c)
    }

    /// Shapes cut into pieces of columns (the convolution's), of rows (a Gram matrix's) and both.
    func testEveryLayoutMatchesAFloat64LoopWhenCutIntoPieces() {
        for (m, n, k) in [(16, 2048, 160), (300, 200, 100), (130, 1100, 40)] {
            XCTAssertGreaterThan(Matrix.Partition(m: m, n: n, k: k).count, 1, "\(m)×\(n)×\(k) is cut")
            for (index, (layoutA, layoutB)) in Self.layouts.enumerated() {
                let (a, b, c0, c) = product(layoutA, layoutB, m: m, n: n, k: k, seed: UInt64(index), beta: 2,
                                            threads: 2)
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            let x = layoutA == .normal ? a[i * k + p] : a[p * m + i]
                            let y = layoutB == .normal ? b[p * n + j] : b[j * k + p]
                            sum += Double(x) * Double(y)
                        }
                        worst = max(worst, abs(Double(c[i * n + j]) - (0.5 * sum + 2 * Double(c0[i * n + j]))))
                    }
                }
                XCTAssertLessThan(worst, 1e-4, "\(m)×\(n)×\(k) \(layoutA) \(layoutB)")
            }
        }
    }

    /// One, two and three threads give the same bits on shapes of the VGG convolutions, a Gram
    /// matrix and a search block (before the fixed pieces, two threads changed ~4% of the elements).
    func testTheSameBitsWhateverTheThreadCount() {
        for (m, n, k) in [(64, 4096, 27), (128, 4096, 576), (256, 256, 2304), (64, 64, 16384), (256, 4096, 75)] {
            for (layoutA, layoutB) in [(Matrix.Layout.normal, Matrix.Layout.normal), (.transposed, .transposed)] {
                let one = product(layoutA, layoutB, m: m, n: n, k: k, seed: 7, threads: 1).c
                for threads in [2, 3] {
                    let other = product(layoutA, layoutB, m: m, n: n, k: k, seed: 7, threads: threads).c
                    XCTAssertTrue(one.elementsEqual(other) { $0.bitPattern == $1.bitPattern },
                                  "\(m)×\(n)×\(k) \(layoutA) \(layoutB): \(threads) threads differ from one")
                }
            }
        }
    }

    /// The pieces cover the output exactly once, from the shape alone; small products stay whole.
    func testThePartitionCoversTheOutputOnce() {
        for (m, n, k) in [(64, 65536, 27), (512, 256, 4608), (3, 1_000_000, 9), (1000, 1000, 1000), (7, 9, 5)] {
            let partition = Matrix.Partition(m: m, n: n, k: k)
            var covered = [UInt8](repeating: 0, count: m * n)
            for index in 0..<partition.count {
                let (rows, columns) = partition.piece(index)
                XCTAssertFalse(rows.isEmpty || columns.isEmpty, "\(m)×\(n)×\(k) piece \(index) is empty")
                for i in rows { for j in columns { covered[i * n + j] += 1 } }
            }
            XCTAssertTrue(covered.allSatisfy { $0 == 1 }, "\(m)×\(n)×\(k): an element in no piece or in two")
        }
        XCTAssertEqual(Matrix.Partition(m: 7, n: 9, k: 5).count, 1)
        XCTAssertEqual(Matrix.Partition(m: 64, n: 65536, k: 27).count, 32, "wide: 32 pieces of 2048 columns")
        XCTAssertEqual(Matrix.Partition(m: 512, n: 256, k: 4608).count, 8, "narrow: 8 pieces of 64 rows")
    }
}
