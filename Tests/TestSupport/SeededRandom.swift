import Tensor

/// The engine's seedable generator with helpers for test inputs, so every input is reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

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
