internal import CBLAS

/// Dense matrix products on row-major Float32 data, through OpenBLAS's `cblas_sgemm`.
///
/// This is the one funnel to BLAS (STYLE.md §2): the convolution, the Gram matrix and the
/// patch search all reach SGEMM through here, so the call convention lives in one place.
///
/// OpenBLAS runs single-threaded (see `Engine`) and the engine's threads share out the pieces of
/// a fixed partition of the output instead: OpenBLAS's own threads split a product by the thread
/// count, and its kernels round an element differently at a block's edge than inside it
/// (measured on this machine's Zen kernel: 2048³ with 2 threads differs from 1 thread in 4% of
/// the elements), so a product would depend on the thread count. Here every element is computed
/// by the same single-threaded call whatever the threads, so the bytes do not.
public enum Matrix {
    /// Whether an operand is read as stored or transposed.
    public enum Layout: Sendable {
        case normal, transposed
    }

    /// `c = alpha · op(a) · op(b) + beta · c`, with op(a) m×k, op(b) k×n and c m×n, all row-major
    /// with leading dimensions (row strides) `lda`, `ldb`, `ldc`.
    static func gemm(
        _ layoutA: Layout, _ layoutB: Layout, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        let partition = Partition(m: m, n: n, k: k)
        if partition.count == 1 {
            sgemm(layoutA, layoutB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, c: c, ldc: ldc)
            return
        }
        let operands = Operands(a: a, b: b, c: c)
        Engine.parallelPieces(partition.count) { piece in
            let (rows, columns) = partition.piece(piece)
            // Row r of op(a) starts at a + r·lda when a is stored as is, at a + r when transposed;
            // column j of op(b) at b + j when stored as is, at b + j·ldb when transposed.
            let a = operands.a + rows.lowerBound * (layoutA == .normal ? lda : 1)
            let b = operands.b + columns.lowerBound * (layoutB == .normal ? 1 : ldb)
            let c = operands.c + rows.lowerBound * ldc + columns.lowerBound
            sgemm(layoutA, layoutB, m: rows.count, n: columns.count, k: k, alpha: alpha, a: a, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// One `cblas_sgemm` call (row-major), on the calling thread.
    @inline(__always)
    private static func sgemm(
        _ layoutA: Layout, _ layoutB: Layout, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor,
            layoutA == .normal ? CblasNoTrans : CblasTrans,
            layoutB == .normal ? CblasNoTrans : CblasTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `c = alpha · op(a) · op(b) + beta · c` on buffers lent by their owners (see `gemm` above
    /// for the shapes). The buffers must be large enough for the given leading dimensions.
    public static func multiply(
        _ layoutA: Layout, _ a: UnsafeBufferPointer<Float>, lda: Int,
        _ layoutB: Layout, _ b: UnsafeBufferPointer<Float>, ldb: Int,
        into c: UnsafeMutableBufferPointer<Float>, ldc: Int,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        let aRows = layoutA == .normal ? m : k
        let bRows = layoutB == .normal ? k : n
        precondition(a.count >= (aRows - 1) * lda + (layoutA == .normal ? k : m), "matrix a too small")
        precondition(b.count >= (bRows - 1) * ldb + (layoutB == .normal ? n : k), "matrix b too small")
        precondition(c.count >= (m - 1) * ldc + n, "matrix c too small")
        gemm(
            layoutA, layoutB, m: m, n: n, k: k, alpha: alpha, a: a.baseAddress!, lda: lda,
            b: b.baseAddress!, ldb: ldb, beta: beta, c: c.baseAddress!, ldc: ldc)
    }

    /// The three operands of a product, lent to the engine's threads: each piece reads a and b
    /// and writes its own rectangle of c, which is what makes the unchecked `Sendable` sound.
    private struct Operands: @unchecked Sendable {
        let a: UnsafePointer<Float>
        let b: UnsafePointer<Float>
        let c: UnsafeMutablePointer<Float>
    }
}

extension Matrix {
    /// A partition of an m×n product's output into rectangles, decided by the shape alone (never
    /// by the thread count), each computed whole by one single-threaded SGEMM.
    ///
    /// Columns are cut first: a piece of columns repacks only op(a) (the weights of a convolution,
    /// small beside the im2col matrix), while a piece of rows would repack op(b). Rows are cut
    /// only when too few column pieces would leave threads idle.
    struct Partition: Equatable {
        /// Products below this many multiply-adds (about a tenth of a millisecond) are one piece.
        static let smallProduct = 1 << 22
        /// The narrowest piece of columns, and the number of pieces a wide product is cut into.
        /// Narrower pieces repack op(a) too often: with 2 threads, pieces of 512 columns ran
        /// 1.05–1.15× OpenBLAS's own threading on VGG's shapes, pieces of 1024–2048 on a par.
        static let minimumColumns = 1024, columnPieces = 32
        /// The lowest row piece; rows are cut until there are this many pieces in all.
        static let minimumRows = 64, wantedPieces = 8

        let m: Int, n: Int
        let rowBlock: Int, columnBlock: Int

        init(m: Int, n: Int, k: Int) {
            self.m = m
            self.n = n
            guard m * n * max(k, 1) >= Self.smallProduct else {
                (rowBlock, columnBlock) = (m, n)
                return
            }
            let columnBlock = n >= 2 * Self.minimumColumns
                ? Self.roundUp(max(Self.minimumColumns, (n + Self.columnPieces - 1) / Self.columnPieces), to: 64) : n
            let columnPieces = (n + columnBlock - 1) / columnBlock
            var rowBlock = m
            if columnPieces < Self.wantedPieces && m >= 2 * Self.minimumRows {
                let rowPieces = (Self.wantedPieces + columnPieces - 1) / columnPieces
                rowBlock = Self.roundUp(max(Self.minimumRows, (m + rowPieces - 1) / rowPieces), to: 16)
            }
            self.rowBlock = rowBlock
            self.columnBlock = columnBlock
        }

        private var rowPieces: Int { (m + rowBlock - 1) / rowBlock }
        private var columnPieces: Int { (n + columnBlock - 1) / columnBlock }

        /// The number of pieces.
        var count: Int { rowPieces * columnPieces }

        /// The rows and columns of c that piece `index` covers (row-major order of pieces).
        func piece(_ index: Int) -> (rows: Range<Int>, columns: Range<Int>) {
            let row = index / columnPieces * rowBlock, column = index % columnPieces * columnBlock
            return (row..<min(m, row + rowBlock), column..<min(n, column + columnBlock))
        }

        private static func roundUp(_ value: Int, to multiple: Int) -> Int {
            (value + multiple - 1) / multiple * multiple
        }
    }
}
