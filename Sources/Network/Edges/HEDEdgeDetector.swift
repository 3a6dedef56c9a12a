import Tensor

/// Holistically-nested edge detection (Xie & Tu 2015) on the default VGG-16 weights: a 1×1
/// convolution on each of relu1_2, relu2_2, relu3_3, relu4_3 and relu5_3 gives a side output,
/// each is bilinearly upsampled to the input size, the `fuse` 1×1 convolution combines the five,
/// and a sigmoid turns the result into an edge probability.
///
/// Useful on its own, and the proof that the weights are loaded the right way round: a transposed
/// kernel or swapped colour channels give garbage edges.
public final class HEDEdgeDetector {
    /// The activations that carry side outputs, shallow to deep.
    public static let sideLayers = ["relu1_2", "relu2_2", "relu3_3", "relu4_3", "relu5_3"]
    /// The side outputs are at strides 1…16; the input is padded to a multiple of this so that
    /// every pooling halves exactly and the upsampled side outputs line up with the pixels.
    static let stride = 16

    private let vgg: VGG
    private let sides: [Conv1x1]
    private let fuse: Conv1x1

    /// Loads the VGG-16 and the `hed.dsn1…5` and `hed.fuse` heads that `Scripts/fetch-weights`
    /// writes into the default weights file.
    /// - Throws: `NetworkError.incompatible` if the file is not VGG-16 or has no HED heads.
    public init(file: SafeTensorsFile) throws {
        let weights = try VGGWeights(file: file)
        guard weights.architecture.name == VGGArchitecture.vgg16.name else {
            throw NetworkError.incompatible(
                path: file.path, reason: "HED edges need VGG-16, the file holds \(weights.architecture)")
        }
        func head(_ name: String, inputChannels: Int) throws -> Conv1x1 {
            guard file.entries["hed.\(name).weight"]?.elementCount == inputChannels else {
                throw NetworkError.incompatible(
                    path: file.path,
                    reason: "no HED head hed.\(name).weight with \(inputChannels) inputs; "
                        + "the default weights from Scripts/fetch-weights have it")
            }
            return Conv1x1(
                outputChannels: 1, inputChannels: inputChannels,
                weight: try file.floats("hed.\(name).weight"), bias: try file.floats("hed.\(name).bias"))
        }
        let sideChannels = weights.architecture.blocks.map { $0.last! }
        sides = try sideChannels.enumerated().map { try head("dsn\($0.offset + 1)", inputChannels: $0.element) }
        fuse = try head("fuse", inputChannels: sideChannels.count)
        vgg = VGG(weights: weights, pooling: .max)
    }

    /// Loads the weights file at `path` (see `init(file:)`).
    public convenience init(contentsOf path: String) throws {
        try self.init(file: SafeTensorsFile(contentsOf: path))
    }

    /// The edge map of `image` (RGB in [0, 1], 3×H×W): 1×H×W, each value the probability that the
    /// pixel lies on an edge.
    ///
    /// The network's activations take about 1 KB per pixel, so an image whose long side exceeds
    /// `maximumSide` is first reduced (area average) to that long side, and its edge map is
    /// enlarged back (bilinear) to the image's size.
    public func edges(of image: Tensor, maximumSide: Int = .max) throws -> Tensor {
        precondition(maximumSide >= 1, "maximumSide must be positive")
        let longSide = max(image.height, image.width)
        guard longSide > maximumSide else { return try edgesAtFullSize(of: image) }
        let scale = Double(maximumSide) / Double(longSide)
        let reduced = Tensor(
            channels: image.channels, height: max(1, Int((Double(image.height) * scale).rounded())),
            width: max(1, Int((Double(image.width) * scale).rounded())))
        Resample.area(image, into: reduced)
        let edges = Tensor(channels: 1, height: image.height, width: image.width)
        Resample.bilinear(try edgesAtFullSize(of: reduced), into: edges)
        return edges
    }

    /// The edge map of `image` computed at its own size.
    private func edgesAtFullSize(of image: Tensor) throws -> Tensor {
        let padded = image.paddedByReplication(toMultipleOf: Self.stride)
        let activations = try vgg.features(of: padded, layers: Self.sideLayers)
        let stack = Tensor(channels: sides.count, height: padded.height, width: padded.width)
        let upsampled = Tensor(channels: 1, height: padded.height, width: padded.width)
        for (index, (side, layer)) in zip(sides, Self.sideLayers).enumerated() {
            let features = activations[layer]!
            let logits = Tensor(channels: 1, height: features.height, width: features.width)
            side.forward(features, into: logits)
            Resample.bilinear(logits, into: upsampled)
            stack.setChannel(index, from: upsampled)
        }
        let fused = Tensor(channels: 1, height: padded.height, width: padded.width)
        fuse.forward(stack, into: fused)
        fused.applySigmoid()
        return fused.cropped(height: image.height, width: image.width)
    }
}
