internal import CBLAS

/// Dense matrix products on row-major Float32 data, through OpenBLAS's `cblas_sgemm`.
///
/// This is the one funnel to BLAS (STYLE.md §2): the convolution, the Gram matrix and the
/// patch search all reach SGEMM through here, so the call convention lives in one place.
public enum Matrix {
    /// Whether an operand is read as stored or transposed.
    public enum Layout: Sendable {
        case normal, transposed
    }

    /// `c = alpha · op(a) · op(b) + beta · c`, with op(a) m×k, op(b) k×n and c m×n, all row-major
    /// with leading dimensions (row strides) `lda`, `ldb`, `ldc`.
    @inline(__always)
    static func gemm(
        _ layoutA: Layout, _ layoutB: Layout, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
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
}
