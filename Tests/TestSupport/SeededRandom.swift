import Tensor

/// A small, fast, seedable generator (SplitMix64) so that every test input is reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `range`.
    public mutating func float(in range: ClosedRange<Float> = -1...1) -> Float {
        Float.random(in: range, using: &self)
    }

    /// `count` uniform values in `range`.
    public mutating func floats(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<count).map { _ in float(in: range) }
    }

    /// A tensor of uniform values in `range`.
    public mutating func tensor(_ shape: Shape, in range: ClosedRange<Float> = -1...1) -> Tensor {
        Tensor(shape, values: floats(shape.count, in: range))
    }
}
