/// The convolution weights of a VGG network and the preprocessing they expect.
public struct VGGWeights: Sendable {
    /// One 3×3 convolution: `weight` is OIHW (outputChannels × inputChannels × 3 × 3), as in
    /// torch and Caffe; both apply it as a cross-correlation.
    public struct Convolution: Sendable {
        public var inputChannels: Int
        public var outputChannels: Int
        public var weight: [Float]
        public var bias: [Float]

        public init(inputChannels: Int, outputChannels: Int, weight: [Float], bias: [Float]) {
            precondition(
                weight.count == outputChannels * inputChannels * 9,
                "3×3 weight count for \(outputChannels)×\(inputChannels)")
            precondition(bias.count == outputChannels, "bias count for \(outputChannels) channels")
            self.inputChannels = inputChannels
            self.outputChannels = outputChannels
            self.weight = weight
            self.bias = bias
        }
    }

    public var architecture: VGGArchitecture
    public var preprocessing: Preprocessing
    /// One entry per convolution of `architecture`, in order.
    public var convolutions: [Convolution]

    public init(architecture: VGGArchitecture, preprocessing: Preprocessing, convolutions: [Convolution]) {
        let channels = architecture.convolutionChannels
        precondition(convolutions.count == channels.count, "\(convolutions.count) convolutions for \(architecture)")
        for (convolution, expected) in zip(convolutions, channels) {
            precondition(convolution.inputChannels == expected.input && convolution.outputChannels == expected.output)
        }
        self.architecture = architecture
        self.preprocessing = preprocessing
        self.convolutions = convolutions
    }
}
