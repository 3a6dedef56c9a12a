import Tensor

/// The buffers of a VGG for one input size, allocated on first use and reused by every later pass
/// at that size: the optimisation loop allocates nothing (DESIGN.md §5).
///
/// The tape keeps whole only the activations that someone reads after the forward pass: the
/// requested layers (the losses read them) and, with max pooling, each pooling's input (its
/// backward looks for the maximum). Every other layer's activation is only the next layer's
/// input: it is made in a gradient buffer of its shape (free until the backward pass), and the
/// tape keeps of a convolution's output only the signs that ReLU's backward needs, a bit per
/// element (at a 672² tile, 16 MB instead of the 450 MB of those activations in Float).
///
/// Gradient buffers come in pairs per shape, because a convolution whose input and output have
/// the same shape must read one buffer while it writes the other (ReLU's backward runs in place).
final class VGGPlan {
    /// Height and width of the input image.
    let height: Int
    let width: Int
    /// The shape of each layer's activation.
    let shapes: [Shape]
    /// The preprocessed network input, 3×H×W.
    let input: Tensor
    /// The activations kept whole, allocated when a forward first keeps them.
    private var kept: [Tensor?]
    /// Per layer, the buffer its activation was written to in the last forward pass.
    private var written: [Tensor?]
    /// Per convolution layer not kept whole in the last forward pass, the signs of its activation:
    /// bit i % 64 of word i / 64 is set where element i is positive.
    private var signs: [[UInt64]?]
    /// How many layers the last forward pass computed (0 before any).
    var computedDepth = 0
    private var gradientPairs: [Shape: [Tensor]] = [:]

    init(architecture: VGGArchitecture, height: Int, width: Int) {
        self.height = height
        self.width = width
        self.shapes = architecture.activationShapes(height: height, width: width)
        self.input = Tensor(Shape(channels: VGGArchitecture.inputChannels, height: height, width: width))
        self.kept = Array(repeating: nil, count: shapes.count)
        self.written = Array(repeating: nil, count: shapes.count)
        self.signs = Array(repeating: nil, count: shapes.count)
    }

    /// The buffer for layer `position`'s activation in a forward pass reading `layerInput`: its
    /// own if it is `keptWhole`, else a gradient buffer of its shape.
    func output(_ position: Int, keptWhole: Bool, layerInput: Tensor) -> Tensor {
        guard keptWhole else { return gradientBuffer(shapes[position], avoiding: layerInput) }
        if let tensor = kept[position] { return tensor }
        let tensor = Tensor(shapes[position])
        kept[position] = tensor
        return tensor
    }

    /// Records that layer `position`'s activation is in `output`; for a convolution's output that
    /// is not kept whole, keeps its signs.
    func record(_ position: Int, output: Tensor, isConvolution: Bool) {
        written[position] = output
        guard isConvolution && output !== kept[position] else {
            signs[position] = nil
            return
        }
        let words = (output.count + 63) / 64
        if signs[position]?.count != words { signs[position] = [UInt64](repeating: 0, count: words) }
        Self.writeSigns(of: output, into: &signs[position]!)
    }

    /// The activation of layer `position` in the last forward pass, if it was kept whole.
    func keptActivation(_ position: Int) -> Tensor? {
        written[position].flatMap { $0 === kept[position] ? $0 : nil }
    }

    /// The buffer layer `position`'s activation was written to in the last forward pass (a
    /// gradient buffer's contents are gone once the backward pass has begun).
    func writtenActivation(_ position: Int) -> Tensor { written[position]! }

    /// ReLU's backward from the kept signs of layer `position`: inputGradient = outputGradient
    /// where the activation was positive, else 0, in place, as `ReLU.backward` from the values.
    /// - Returns: false when layer `position` was kept whole (its values serve instead).
    func reluBackward(_ position: Int, gradient: Tensor) -> Bool {
        guard let words = signs[position] else { return false }
        let count = gradient.count
        gradient.withUnsafeMutableBufferPointer { g in
            words.withUnsafeBufferPointer { w in
                let lent = Lent(floats: g.baseAddress!, words: UnsafeMutablePointer(mutating: w.baseAddress!))
                Engine.parallelFor(Self.pieces(count)) { piece in
                    for word in Self.words(of: piece, count: count) {
                        let bits = lent.words[word]
                        for i in (word * 64)..<min(count, word * 64 + 64) where bits & (1 << UInt64(i & 63)) == 0 {
                            lent.floats[i] = 0
                        }
                    }
                }
            }
        }
        return true
    }

    /// A gradient buffer of `shape` that is not `busy`, allocated on first use.
    func gradientBuffer(_ shape: Shape, avoiding busy: Tensor?) -> Tensor {
        var pair = gradientPairs[shape, default: []]
        if let free = pair.first(where: { $0 !== busy }) { return free }
        let tensor = Tensor(shape)
        pair.append(tensor)
        gradientPairs[shape] = pair
        return tensor
    }

    /// Writes the signs of `activation`'s elements into `words` (as many as it needs).
    private static func writeSigns(of activation: Tensor, into words: inout [UInt64]) {
        let count = activation.count
        activation.withUnsafeBufferPointer { values in
            words.withUnsafeMutableBufferPointer { w in
                let lent = Lent(floats: UnsafeMutablePointer(mutating: values.baseAddress!), words: w.baseAddress!)
                Engine.parallelFor(pieces(count)) { piece in
                    for word in Self.words(of: piece, count: count) {
                        var bits: UInt64 = 0
                        for i in (word * 64)..<min(count, word * 64 + 64) where lent.floats[i] > 0 {
                            bits |= 1 << UInt64(i & 63)
                        }
                        lent.words[word] = bits
                    }
                }
            }
        }
    }

    /// Bytes the tape holds after the last forward pass: the activations kept whole and the signs.
    var tapeBytes: Int {
        kept.reduce(0) { $0 + ($1?.count ?? 0) * MemoryLayout<Float>.size }
            + signs.reduce(0) { $0 + ($1?.count ?? 0) * MemoryLayout<UInt64>.size }
    }

    /// Pieces of work over a tensor of `count` elements: whole words, at least 64 Ki elements each.
    private static func pieces(_ count: Int) -> Int { max(1, min(64, count >> 16)) }

    private static func words(of piece: Int, count: Int) -> Range<Int> {
        let total = (count + 63) / 64, pieces = pieces(count)
        return (piece * total / pieces)..<((piece + 1) * total / pieces)
    }
}

/// An activation (or its gradient) and its sign words, lent to the engine's threads: each piece
/// touches only its own words and their elements.
private struct Lent: @unchecked Sendable {
    let floats: UnsafeMutablePointer<Float>
    let words: UnsafeMutablePointer<UInt64>
}
