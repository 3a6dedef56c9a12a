import Tensor

extension VGG {
    /// The activations of `layerNames` for `image` (RGB in [0, 1], 3×H×W), without a tape: for
    /// features that no backward pass follows (the style's patch bank, edge maps, evaluation).
    ///
    /// Only a layer's input and output are alive while it runs, and only the named activations
    /// are kept, so the peak is the largest consecutive pair of layers (two 64-channel maps at the
    /// input size) instead of every activation up to the deepest layer, as `forward` keeps for
    /// `backward`. The layers run through the same kernels as `forward`, so the values are the
    /// same bits. The network's plan (its buffers for `forward`) is neither used nor replaced.
    /// - Returns: tensors of the caller's own, one per distinct name.
    /// - Throws: `NetworkError.unknownLayer`, or `.imageTooSmall` if a pooling would reach size 0.
    public func features(of image: Tensor, layers layerNames: [String]) throws -> [String: Tensor] {
        let positions = try checkedPositions(of: layerNames, image: image)
        let kept = Set(positions)
        let shapes = architecture.activationShapes(height: image.height, width: image.width)
        var current = Tensor(image.shape)
        preprocessing.apply(image, into: current)
        var features: [String: Tensor] = [:]
        for position in 0..<((positions.max() ?? -1) + 1) {
            let output = Tensor(shapes[position])
            forward(layer: position, input: current, into: output)
            // The input is released here unless it is a kept layer: no later layer writes it.
            current = output
            if kept.contains(position) { features[layers[position].name] = output }
        }
        return features
    }
}
