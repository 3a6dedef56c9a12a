/// Reading VGG weights from a safetensors file with torchvision/timm names:
/// `features.{i}.weight` (OIHW) and `features.{i}.bias`, `i` the layer's index in torchvision's
/// `features` Sequential. This covers the default file that `Scripts/fetch-weights` writes and a
/// user's own VGG-19 (or VGG-16) export; classifier tensors and anything else are ignored.
extension VGGWeights {
    /// Metadata key naming the preprocessing (`caffe` or `torch`; absent means `torch`, the
    /// convention of torchvision and timm files).
    public static let preprocessingKey = "preprocessing"
    /// Metadata key naming the architecture (`vgg16` or `vgg19`); optional, checked if present.
    public static let architectureKey = "architecture"

    /// Block structures by number of 3×3 convolutions: VGG-16 has 13, VGG-19 has 16.
    private static let structures: [Int: (name: String, blockSizes: [Int])] = [
        13: ("vgg16", [2, 2, 3, 3, 3]),
        16: ("vgg19", [2, 2, 4, 4, 4]),
    ]

    /// Loads the convolutions of `file`. The architecture follows from the number of
    /// convolutions, and the channel widths from their shapes, so a narrow test network loads
    /// through the same code as the real ones.
    /// - Throws: `NetworkError.incompatible` naming the file and the tensor at fault.
    public init(file: SafeTensorsFile) throws {
        func incompatible(_ reason: String) -> NetworkError { .incompatible(path: file.path, reason: reason) }

        let kernels = file.entries.values
            .filter { $0.name.hasPrefix("features.") && $0.name.hasSuffix(".weight") && $0.shape.count == 4 }
            .compactMap { entry in
                Int(entry.name.dropFirst("features.".count).dropLast(".weight".count)).map { ($0, entry) }
            }
            .sorted { $0.0 < $1.0 }
        guard let structure = Self.structures[kernels.count] else {
            throw incompatible(
                "\(kernels.count) convolution kernels named features.N.weight; VGG-16 has 13, VGG-19 has 16")
        }
        if let declared = file.metadata[Self.architectureKey], declared != structure.name {
            throw incompatible(
                "metadata says \(declared) but the file holds the \(kernels.count) convolutions of \(structure.name)")
        }
        let preprocessingName = file.metadata[Self.preprocessingKey] ?? Preprocessing.torch.rawValue
        guard let preprocessing = Preprocessing(rawValue: preprocessingName) else {
            throw incompatible("unknown preprocessing \(preprocessingName); expected caffe or torch")
        }

        var widths = kernels.map { $0.1.shape[0] }[...]
        let architecture = VGGArchitecture(
            name: structure.name,
            blocks: structure.blockSizes.map { size in
                defer { widths = widths.dropFirst(size) }
                return Array(widths.prefix(size))
            })
        var convolutions: [Convolution] = []
        for layer in architecture.layers {
            guard case .convolution(_, let index, let input, let output) = layer.kind else { continue }
            let name = "features.\(index)"
            guard file.entries["\(name).weight"]?.shape == [output, input, 3, 3] else {
                let found = file.entries["\(name).weight"].map { "\($0.shape)" } ?? "nothing"
                throw incompatible(
                    "\(name).weight should be [\(output), \(input), 3, 3] for \(layer.name), found \(found)")
            }
            guard file.entries["\(name).bias"]?.shape == [output] else {
                throw incompatible("\(name).bias should have shape [\(output)] for \(layer.name)")
            }
            convolutions.append(
                Convolution(
                    inputChannels: input, outputChannels: output,
                    weight: try file.floats("\(name).weight"), bias: try file.floats("\(name).bias")))
        }
        self.init(architecture: architecture, preprocessing: preprocessing, convolutions: convolutions)
    }

    /// Loads the weights file at `path`.
    /// - Throws: `NetworkError.missingWeights` (naming `Scripts/fetch-weights`) if it is absent,
    ///   `.corrupt` or `.incompatible` if it cannot serve as VGG weights.
    public init(contentsOf path: String) throws {
        try self.init(file: SafeTensorsFile(contentsOf: path))
    }

    /// The tensors of `self` under torchvision names, with metadata naming the architecture
    /// and the preprocessing: what `init(file:)` reads back.
    public var safeTensors: (tensors: [SafeTensorsFile.TensorToWrite], metadata: [String: String]) {
        var tensors: [SafeTensorsFile.TensorToWrite] = []
        for layer in architecture.layers {
            guard case .convolution(let position, let index, let input, let output) = layer.kind else { continue }
            let convolution = convolutions[position]
            tensors.append(
                .init(name: "features.\(index).weight", shape: [output, input, 3, 3], values: convolution.weight))
            tensors.append(.init(name: "features.\(index).bias", shape: [output], values: convolution.bias))
        }
        let metadata = [Self.architectureKey: architecture.name, Self.preprocessingKey: preprocessing.rawValue]
        return (tensors, metadata)
    }
}
