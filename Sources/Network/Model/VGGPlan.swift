import Tensor

/// The buffers of a VGG for one input size, allocated on first use and reused by every later pass
/// at that size: the optimisation loop allocates nothing (DESIGN.md §5).
///
/// Activations are allocated up to the deepest layer ever asked for; gradient buffers come in
/// pairs per shape, because a convolution whose input and output have the same shape must read
/// one buffer while it writes the other (ReLU's backward runs in place).
final class VGGPlan {
    /// Height and width of the input image.
    let height: Int
    let width: Int
    /// The shape of each layer's activation.
    let shapes: [Shape]
    /// The preprocessed network input, 3×H×W.
    let input: Tensor
    /// Each layer's activation, allocated when a forward first reaches it.
    private(set) var activations: [Tensor?]
    /// How many layers the last forward pass computed (0 before any).
    var computedDepth = 0
    private var gradientPairs: [Shape: [Tensor]] = [:]

    init(architecture: VGGArchitecture, height: Int, width: Int) {
        self.height = height
        self.width = width
        self.shapes = architecture.activationShapes(height: height, width: width)
        self.input = Tensor(Shape(channels: VGGArchitecture.inputChannels, height: height, width: width))
        self.activations = Array(repeating: nil, count: shapes.count)
    }

    /// The activation buffer of layer `position`, allocated on first use.
    func activation(_ position: Int) -> Tensor {
        if let tensor = activations[position] { return tensor }
        let tensor = Tensor(shapes[position])
        activations[position] = tensor
        return tensor
    }

    /// The input of layer `position`: the previous activation, or the preprocessed image.
    func layerInput(_ position: Int) -> Tensor {
        position == 0 ? input : activation(position - 1)
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
}
