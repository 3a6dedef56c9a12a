import Foundation

extension SplitMix64 {
    /// A standard normal draw (Box–Muller on the generator's raw bits, so that the values do not
    /// depend on the standard library's sampling): random directions for sliced distances and
    /// transports.
    public mutating func nextNormal() -> Double {
        let u1 = (Double(next() >> 11) + 1) / 9_007_199_254_740_992  // (0, 1]
        let u2 = Double(next() >> 11) / 9_007_199_254_740_992  // [0, 1)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
