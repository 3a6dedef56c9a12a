import Foundation

/// CIE 1976 L\*a\*b\* of sRGB colours under the D65 white: the space in which the colour figure
/// measures distances, because there a step of 1 is about one just-noticeable difference
/// wherever it is taken (RGB distances overweight the greens and the brights).
///
/// The sRGB values (0…1, as the project reads PNGs) are decoded to linear light first
/// (IEC 61966-2-1), then taken to XYZ with Lindbloom's sRGB/D65 matrix, whose rows sum to the
/// D65 white used here, so that every grey has a\* = b\* = 0 exactly.
public enum CIELAB {
    /// The D65 reference white (X, Y, Z), Y = 1.
    public static let whiteD65 = SIMD3<Double>(0.950_47, 1.0, 1.088_83)

    /// Linear light of one sRGB-encoded value in 0…1 (values outside are clamped).
    public static func linear(fromSRGB value: Double) -> Double {
        let c = min(max(value, 0), 1)
        return c <= 0.040_45 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    /// XYZ (Y = 1 for white) of a linear-light RGB colour.
    public static func xyz(fromLinear rgb: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(
            0.412_456_4 * rgb.x + 0.357_576_1 * rgb.y + 0.180_437_5 * rgb.z,
            0.212_672_9 * rgb.x + 0.715_152_2 * rgb.y + 0.072_175_0 * rgb.z,
            0.019_333_9 * rgb.x + 0.119_192_0 * rgb.y + 0.950_304_1 * rgb.z)
    }

    /// L\*a\*b\* (L\* in 0…100) of an sRGB-encoded colour with channels in 0…1.
    public static func lab(fromSRGB rgb: SIMD3<Double>) -> SIMD3<Double> {
        let linearRGB = SIMD3(linear(fromSRGB: rgb.x), linear(fromSRGB: rgb.y), linear(fromSRGB: rgb.z))
        let ratio = xyz(fromLinear: linearRGB) / whiteD65
        let f = SIMD3(compand(ratio.x), compand(ratio.y), compand(ratio.z))
        return SIMD3(116 * f.y - 16, 500 * (f.x - f.y), 200 * (f.y - f.z))
    }

    /// The CIE function f(t): a cube root, with the linear segment near black that keeps its
    /// slope finite (ε = (6/29)³, slope 1/(3·(6/29)²)).
    private static func compand(_ t: Double) -> Double {
        let epsilon = 216.0 / 24_389
        let slope = 24_389.0 / 27 / 116
        return t > epsilon ? cbrt(t) : slope * t + 16.0 / 116
    }
}
