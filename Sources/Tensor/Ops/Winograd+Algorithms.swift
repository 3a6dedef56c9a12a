/// One Winograd minimal-filtering algorithm F(m×m, 3×3) (Lavin & Gray 2016, "Fast Algorithms for
/// Convolutional Neural Networks"): an m×m output tile is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, where d is
/// the α×α input tile (α = m + 2) and g the 3×3 kernel. The α² element-wise products become α²
/// matrix products over channels, α²/m² multiplications per output pixel instead of 9.
///
/// The 1-D transforms act on `SIMD8<Float>` vectors whose lanes are eight neighbouring tiles, so
/// the same code transforms eight tiles at once (and G eight kernels at once).
protocol WinogradAlgorithm {
    /// m: the side of the output tile.
    static var outputTile: Int { get }
    /// G applied to the 3 vectors at `source[0], source[stride], source[2·stride]`; the α
    /// results go to `target[0], target[targetStride], …`.
    static func transformKernel(
        _ source: UnsafePointer<SIMD8<Float>>, stride: Int,
        into target: UnsafeMutablePointer<SIMD8<Float>>, targetStride: Int)
    /// In place, Bᵀ applied to the α vectors at `vectors[0], vectors[stride], …`.
    static func transformInput(_ vectors: UnsafeMutablePointer<SIMD8<Float>>, stride: Int)
    /// Aᵀ applied to the α vectors at `source[0], source[stride], …`; the m results go to
    /// `target[0], target[targetStride], …`.
    static func transformOutput(
        _ source: UnsafePointer<SIMD8<Float>>, stride: Int,
        into target: UnsafeMutablePointer<SIMD8<Float>>, targetStride: Int)
}

extension WinogradAlgorithm {
    /// α: the side of the input tile (the output tile plus the kernel's two extra pixels).
    static var inputTile: Int { outputTile + 2 }
}

/// F(2×2, 3×3): 16 products for 4 outputs (2.25× fewer multiplications). Its transforms have
/// coefficients 0 and ±1 only (and ½ in G), so it rounds about as well as the direct sum.
enum WinogradF2: WinogradAlgorithm {
    static let outputTile = 2

    @inline(__always)
    static func transformKernel(
        _ s: UnsafePointer<SIMD8<Float>>, stride: Int, into t: UnsafeMutablePointer<SIMD8<Float>>, targetStride: Int
    ) {
        // G rows: [1 0 0], [½ ½ ½], [½ −½ ½], [0 0 1].
        let (g0, g1, g2) = (s[0], s[stride], s[2 * stride])
        let outer = g0 + g2
        t[0] = g0
        t[targetStride] = 0.5 * (outer + g1)
        t[2 * targetStride] = 0.5 * (outer - g1)
        t[3 * targetStride] = g2
    }

    @inline(__always)
    static func transformInput(_ v: UnsafeMutablePointer<SIMD8<Float>>, stride: Int) {
        let (d0, d1, d2, d3) = (v[0], v[stride], v[2 * stride], v[3 * stride])
        v[0] = d0 - d2
        v[stride] = d1 + d2
        v[2 * stride] = d2 - d1
        v[3 * stride] = d1 - d3
    }

    @inline(__always)
    static func transformOutput(
        _ s: UnsafePointer<SIMD8<Float>>, stride: Int, into t: UnsafeMutablePointer<SIMD8<Float>>, targetStride: Int
    ) {
        let (m0, m1, m2, m3) = (s[0], s[stride], s[2 * stride], s[3 * stride])
        t[0] = m0 + m1 + m2
        t[targetStride] = m1 - m2 - m3
    }
}

/// F(4×4, 3×3): 36 products for 16 outputs (4× fewer multiplications), with the points 0, ±1,
/// ±2 and ∞; the larger coefficients (up to 8 in Aᵀ, 5 in Bᵀ) cost accuracy.
enum WinogradF4: WinogradAlgorithm {
    static let outputTile = 4

    @inline(__always)
    static func transformKernel(
        _ s: UnsafePointer<SIMD8<Float>>, stride: Int, into t: UnsafeMutablePointer<SIMD8<Float>>, targetStride: Int
    ) {
        // G rows: [¼ 0 0], [−⅙ −⅙ −⅙], [−⅙ ⅙ −⅙], [1/24 1/12 ⅙], [1/24 −1/12 ⅙], [0 0 1].
        let (g0, g1, g2) = (s[0], s[stride], s[2 * stride])
        let outer = g0 + g2, weighted = g0 * (1 / 24) + g2 * (1 / 6), middle = g1 * (1 / 12)
        t[0] = g0 * 0.25
        t[targetStride] = (outer + g1) * (-1 / 6)
        t[2 * targetStride] = (outer - g1) * (-1 / 6)
        t[3 * targetStride] = weighted + middle
        t[4 * targetStride] = weighted - middle
        t[5 * targetStride] = g2
    }

    @inline(__always)
    static func transformInput(_ v: UnsafeMutablePointer<SIMD8<Float>>, stride: Int) {
        let (d0, d1, d2, d3, d4, d5) = (v[0], v[stride], v[2 * stride], v[3 * stride], v[4 * stride], v[5 * stride])
        // Bᵀ rows: [4 0 −5 0 1 0], [0 −4 −4 1 1 0], [0 4 −4 −1 1 0], [0 −2 −1 2 1 0],
        // [0 2 −1 −2 1 0], [0 4 0 −5 0 1].
        let sum12 = d1 + d2, difference12 = d1 - d2
        let evenTerm = d4 - d2, oddTerm = d3 - d1
        v[0] = 4 * d0 - 5 * d2 + d4
        v[stride] = (d4 + d3) - 4 * sum12
        v[2 * stride] = (d4 - d3) + 4 * difference12
        v[3 * stride] = evenTerm + 2 * oddTerm
        v[4 * stride] = evenTerm - 2 * oddTerm
        v[5 * stride] = 4 * d1 - 5 * d3 + d5
    }

    @inline(__always)
    static func transformOutput(
        _ s: UnsafePointer<SIMD8<Float>>, stride: Int, into t: UnsafeMutablePointer<SIMD8<Float>>, targetStride: Int
    ) {
        // Aᵀ rows: [1 1 1 1 1 0], [0 1 −1 2 −2 0], [0 1 1 4 4 0], [0 1 −1 8 −8 1].
        let (m0, m1, m2, m3, m4, m5) = (s[0], s[stride], s[2 * stride], s[3 * stride], s[4 * stride], s[5 * stride])
        let sum12 = m1 + m2, difference12 = m1 - m2
        let sum34 = m3 + m4, difference34 = m3 - m4
        t[0] = m0 + sum12 + sum34
        t[targetStride] = difference12 + 2 * difference34
        t[2 * targetStride] = sum12 + 4 * sum34
        t[3 * targetStride] = difference12 + 8 * difference34 + m5
    }
}
