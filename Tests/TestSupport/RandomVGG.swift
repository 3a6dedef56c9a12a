import Network

/// Random narrow VGGs for the tests: the real block structure with few channels.
public enum RandomVGG {
    /// VGG-16's structure (so that it round-trips through safetensors as `vgg16`) with 4–8 channels.
    public static let narrow16 = VGGArchitecture(
        name: "vgg16", blocks: [[4, 4], [6, 6], [8, 8, 8], [8, 8, 8], [8, 8, 8]])
    /// VGG-19's structure with 3–6 channels.
    public static let narrow19 = VGGArchitecture(
        name: "vgg19", blocks: [[3, 4], [5, 5], [6, 6, 6, 6], [6, 6, 6, 6], [6, 6, 6, 6]])

    /// He-initialised weights (so activations keep their scale through the layers) and small biases.
    public static func weights(_ architecture: VGGArchitecture, preprocessing: Preprocessing, seed: UInt64) -> VGGWeights {
        var random = SeededRandom(seed: seed)
        let convolutions = architecture.convolutionChannels.map { channels in
            let scale = Float((6.0 / Double(9 * channels.input)).squareRoot())
            return VGGWeights.Convolution(
                inputChannels: channels.input, outputChannels: channels.output,
                weight: random.floats(channels.output * channels.input * 9, in: -scale...scale),
                bias: random.floats(channels.output, in: -0.1...0.1))
        }
        return VGGWeights(architecture: architecture, preprocessing: preprocessing, convolutions: convolutions)
    }
}
