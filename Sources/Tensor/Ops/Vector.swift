/// Inner products of raw Float32 rows, in SIMD lanes: the building block of scoring one
/// candidate patch against one query (the approximate search's random access pattern, where a
/// matrix product has no shape to exploit).
public enum Vector {
    /// Σ a[i]·b[i] for i in 0..<count, accumulated in two 16-lane Float32 registers (so the sum's
    /// rounding differs from a sequential loop's by a few ulps, but is the same on every run).
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let stride = MemoryLayout<SIMD16<Float>>.stride
        var s0 = SIMD16<Float>(), s1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            s0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            s1 += ra.loadUnaligned(fromByteOffset: i * 4 + stride, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4 + stride, as: SIMD16<Float>.self)
            i += 32
        }
        if i + 16 <= count {
            s0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var sum = (s0 + s1).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }
}
