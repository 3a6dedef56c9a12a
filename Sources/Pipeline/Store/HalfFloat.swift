/// IEEE 754 binary16 ("half") conversion for Float16 canvas files, written out bit by bit so that
/// the file format does not depend on the compiler's `Float16` support (absent on some targets)
/// and so that the bulk loops vectorise. Rounding is to nearest, ties to even, like the hardware
/// `vcvtps2ph`; values beyond the half range become ±infinity, tiny values become subnormals or
/// ±0, and every NaN becomes the quiet NaN 0x7E00 (with its sign).
public enum HalfFloat {
    /// The binary16 bit pattern nearest to `value`.
    @inlinable
    public static func bits(from value: Float) -> UInt16 {
        let pattern = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (pattern >> 16) & 0x8000)
        var magnitude = pattern & 0x7FFF_FFFF
        if magnitude >= 0x4780_0000 {
            // |value| ≥ 65536 (past the largest half, 65504, by more than half a step), inf or NaN.
            return sign | (magnitude > 0x7F80_0000 ? 0x7E00 : 0x7C00)
        }
        if magnitude < 0x3880_0000 {
            // |value| < 2⁻¹⁴: a half subnormal (or zero). Adding 0.5 lines the half's subnormal step,
            // 2⁻²⁴, up with the last bit of the Float's mantissa, so the FPU rounds (to nearest
            // even) exactly as binary16 would; the low bits are then the half's mantissa.
            let shifted = Float(bitPattern: magnitude) + 0.5
            return sign | UInt16(truncatingIfNeeded: shifted.bitPattern - 0x3F00_0000)
        }
        // Normal: re-bias the exponent (127 → 15) and round the 13 dropped mantissa bits to
        // nearest even; a carry out of the mantissa correctly bumps the exponent (up to infinity).
        let odd = (magnitude >> 13) & 1
        magnitude = magnitude &- 0x3800_0000 &+ 0x0FFF &+ odd
        return sign | UInt16(truncatingIfNeeded: magnitude >> 13)
    }

    /// The Float equal to the binary16 value `bits` (exact: every half is a Float).
    @inlinable
    public static func value(of bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2⁻²⁴, exact in Float.
            let magnitude = Float(mantissa) * Float(bitPattern: 0x3380_0000)
            return Float(bitPattern: sign | magnitude.bitPattern)
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// Converts `count` Floats to half bit patterns.
    @inlinable
    public static func encode(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<UInt16>, count: Int) {
        for index in 0..<count { target[index] = bits(from: source[index]) }
    }

    /// Converts `count` half bit patterns to Floats.
    @inlinable
    public static func decode(_ source: UnsafePointer<UInt16>, into target: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { target[index] = value(of: source[index]) }
    }
}
