import Tensor

/// A VGG network with fixed weights: a forward pass from an RGB image to named activations and a
/// backward pass from gradients at any of those activations to the image (DESIGN.md §5: a fixed
/// layer list with a tape of saved activations, no general autograd).
///
/// Buffers are planned per input size (`VGGPlan`) and reused: after the first pass at a size, a
/// forward and backward at that size allocate nothing. One plan is kept: a pass at another size
/// replaces it (so compute fixed targets before the loop; the style's features, which no backward
/// follows, come from `features(of:layers:)`, which neither uses nor replaces it). A `VGG` is not
/// thread-safe; use one per worker.
public final class VGG {
    public let architecture: VGGArchitecture
    public let preprocessing: Preprocessing
    /// Max pooling as trained, or average pooling, which gives smoother images in synthesis.
    public let pooling: Pool2x2.Kind
    let layers: [VGGLayer]
    private let convolutions: [Conv3x3]
    private let workspace = Workspace()
    private var plan: VGGPlan?

    public init(weights: VGGWeights, pooling: Pool2x2.Kind = .max) {
        architecture = weights.architecture
        preprocessing = weights.preprocessing
        self.pooling = pooling
        layers = weights.architecture.layers
        convolutions = weights.convolutions.map {
            Conv3x3(
                outputChannels: $0.outputChannels, inputChannels: $0.inputChannels, weight: $0.weight, bias: $0.bias)
        }
    }

    /// A network over the same layers (shared, not copied: a layer's weights never change, and
    /// what it derives from them is made once under its own lock) with its own buffers and
    /// `pooling`: another worker thread's network, or a worker's after a STYLE asks for another
    /// pooling, without another copy of the weights.
    public func sharingWeights(pooling: Pool2x2.Kind) -> VGG {
        VGG(sharing: self, pooling: pooling)
    }

    private init(sharing other: VGG, pooling: Pool2x2.Kind) {
        architecture = other.architecture
        preprocessing = other.preprocessing
        self.pooling = pooling
        layers = other.layers
        convolutions = other.convolutions
    }

    /// Loads the weights file at `path` (see `VGGWeights.init(contentsOf:)`).
    public convenience init(contentsOf path: String, pooling: Pool2x2.Kind = .max) throws {
        self.init(weights: try VGGWeights(contentsOf: path), pooling: pooling)
    }

    /// Runs the network on `image` (RGB in [0, 1], 3×H×W) up to the deepest of `layerNames` and
    /// stops there.
    /// - Returns: the activation of each named layer. These are the network's own buffers: read
    ///   them, do not keep them past the next `forward`, and do not write them (the backward pass
    ///   reads them).
    /// - Throws: `NetworkError.unknownLayer`, or `.imageTooSmall` if a pooling would reach size 0.
    public func forward(_ image: Tensor, layers layerNames: [String]) throws -> [String: Tensor] {
        let positions = try checkedPositions(of: layerNames, image: image)
        let plan = plan(height: image.height, width: image.width)
        let depth = (positions.max() ?? -1) + 1
        let keptWhole = Set(positions).union((1..<max(depth, 1)).filter { isMaxPooling($0) }.map { $0 - 1 })
        preprocessing.apply(image, into: plan.input)
        var input = plan.input
        for position in 0..<depth {
            let output = plan.output(position, keptWhole: keptWhole.contains(position), layerInput: input)
            forward(layer: position, input: input, into: output)
            plan.record(position, output: output, isConvolution: !isPooling(position))
            input = output
        }
        plan.computedDepth = depth
        return Dictionary(positions.map { (layers[$0].name, plan.writtenActivation($0)) }) { first, _ in first }
    }

    /// Backpropagates `gradients` (∂L/∂activation for some named layers, each of that layer's
    /// shape) through the network to the image of the last `forward`, and writes ∂L/∂image
    /// (3×H×W, with respect to the RGB [0, 1] pixels) into `imageGradient`.
    /// - Throws: `NetworkError.unknownLayer`, or `.gradientMismatch` for a layer the last forward
    ///   did not reach or a gradient of the wrong shape.
    public func backward(from gradients: [String: Tensor], into imageGradient: Tensor) throws {
        guard let plan, imageGradient.shape == plan.input.shape else {
            preconditionFailure("backward into \(imageGradient.shape) without a forward at that size")
        }
        var injected: [Int: Tensor] = [:]
        for (name, gradient) in gradients {
            let position = try architecture.position(of: name)
            guard position < plan.computedDepth else {
                throw NetworkError.gradientMismatch(layer: name, reason: "the last forward pass stopped before it")
            }
            guard gradient.shape == plan.shapes[position] else {
                throw NetworkError.gradientMismatch(
                    layer: name, reason: "shape \(gradient.shape), the activation is \(plan.shapes[position])")
            }
            injected[position] = gradient
        }
        guard let deepest = injected.keys.max() else {
            imageGradient.fill(0)
            return
        }
        var current = plan.gradientBuffer(plan.shapes[deepest], avoiding: nil)
        current.copy(from: injected[deepest]!)
        for position in stride(from: deepest, through: 0, by: -1) {
            if position != deepest, let gradient = injected[position] {
                current.add(gradient)
            }
            current = backward(layer: position, outputGradient: current, plan: plan)
        }
        preprocessing.backward(current, into: imageGradient)
    }

    /// The layer positions of `layerNames`, checked against `image`.
    /// - Throws: `NetworkError.unknownLayer`, or `.imageTooSmall` if a pooling before the deepest
    ///   of them would reach size 0.
    func checkedPositions(of layerNames: [String], image: Tensor) throws -> [Int] {
        precondition(image.channels == VGGArchitecture.inputChannels, "VGG input must be RGB, is \(image.shape)")
        let positions = try layerNames.map { try architecture.position(of: $0) }
        let depth = (positions.max() ?? -1) + 1
        let shapes = architecture.activationShapes(height: image.height, width: image.width)
        if let empty = shapes.prefix(depth).firstIndex(where: { $0.count == 0 }) {
            throw NetworkError.imageTooSmall(width: image.width, height: image.height, layer: layers[empty].name)
        }
        return positions
    }

    /// Bytes of the tape the last `forward` left for `backward` (see `VGGPlan`).
    var tapeBytes: Int { plan?.tapeBytes ?? 0 }

    /// The plan for an input of `height`×`width`, made on the first pass at a new size.
    private func plan(height: Int, width: Int) -> VGGPlan {
        if let plan, plan.height == height, plan.width == width { return plan }
        let made = VGGPlan(architecture: architecture, height: height, width: width)
        plan = made
        return made
    }

    /// Computes layer `position`'s activation `output` from `input`: the one place both passes
    /// (with a tape and features-only) run a layer, so that they give the same bits.
    func forward(layer position: Int, input: Tensor, into output: Tensor) {
        switch layers[position].kind {
        case .convolution(let index, _, _, _):
            convolutions[index].forward(input, into: output, workspace: workspace)
            ReLU.forward(output, into: output)
        case .pool:
            Pool2x2.forward(input, into: output, kind: pooling)
        }
    }

    /// Whether layer `position` is a pooling, and whether it is a max pooling.
    private func isPooling(_ position: Int) -> Bool {
        if case .pool = layers[position].kind { return true }
        return false
    }

    private func isMaxPooling(_ position: Int) -> Bool { isPooling(position) && pooling == .max }

    /// Maps ∂L/∂(layer output) to ∂L/∂(layer input).
    /// - Returns: the buffer holding ∂L/∂(layer input); `outputGradient` may be overwritten.
    private func backward(layer position: Int, outputGradient: Tensor, plan: VGGPlan) -> Tensor {
        let inputShape = position == 0 ? plan.input.shape : plan.shapes[position - 1]
        let inputGradient = plan.gradientBuffer(inputShape, avoiding: outputGradient)
        switch layers[position].kind {
        case .convolution(let index, _, _, _):
            if !plan.reluBackward(position, gradient: outputGradient) {
                ReLU.backward(
                    output: plan.keptActivation(position)!, outputGradient: outputGradient, into: outputGradient)
            }
            convolutions[index].backward(outputGradient: outputGradient, into: inputGradient, workspace: workspace)
        case .pool:
            // Max pooling reads its input, kept whole by the forward pass; average pooling reads
            // only its shape, which the gradient buffer has.
            let input = pooling == .max ? plan.keptActivation(position - 1)! : inputGradient
            Pool2x2.backward(input: input, outputGradient: outputGradient, into: inputGradient, kind: pooling)
        }
        return inputGradient
    }
}
