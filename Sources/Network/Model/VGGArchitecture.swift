import Tensor

/// The layer table of a VGG network: five blocks of 3×3 convolutions, each followed by ReLU,
/// with a 2×2 pooling after every block (Simonyan & Zisserman 2015, configurations D and E).
///
/// Activations carry the usual names: `relu{block}_{n}` after the n-th convolution of a block
/// and `pool{block}` after its pooling, so `relu4_2` is the content layer and `relu3_1`,
/// `relu4_1` the default style layers (DESIGN.md §1). Convolution outputs before ReLU are not
/// kept: ReLU runs in place.
public struct VGGArchitecture: Sendable, Equatable, CustomStringConvertible {
    /// `vgg16` or `vgg19` (or a test's name for a narrow network).
    public var name: String
    /// The output channels of each 3×3 convolution, block by block. The input has 3 channels.
    public var blocks: [[Int]]

    public init(name: String, blocks: [[Int]]) {
        precondition(!blocks.isEmpty && blocks.allSatisfy { !$0.isEmpty }, "a VGG needs non-empty blocks")
        self.name = name
        self.blocks = blocks
    }

    /// VGG-16 (configuration D): 13 convolutions.
    public static let vgg16 = VGGArchitecture(
        name: "vgg16", blocks: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]])
    /// VGG-19 (configuration E): 16 convolutions.
    public static let vgg19 = VGGArchitecture(
        name: "vgg19",
        blocks: [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]])

    /// Channels of the network's input image.
    public static let inputChannels = 3

    public var description: String { name }

    /// The layers in order. A `convolution` layer is a 3×3 convolution (padding 1) with bias
    /// followed by ReLU; its name is the ReLU's.
    public var layers: [VGGLayer] {
        var layers: [VGGLayer] = []
        var channels = Self.inputChannels
        var torchvisionIndex = 0  // index in torchvision's `features` Sequential: conv, relu, …, pool
        var convolutionIndex = 0
        for (block, widths) in blocks.enumerated() {
            for (position, width) in widths.enumerated() {
                layers.append(
                    VGGLayer(
                        name: "relu\(block + 1)_\(position + 1)",
                        kind: .convolution(
                            index: convolutionIndex, torchvisionIndex: torchvisionIndex,
                            inputChannels: channels, outputChannels: width)))
                channels = width
                torchvisionIndex += 2
                convolutionIndex += 1
            }
            layers.append(VGGLayer(name: "pool\(block + 1)", kind: .pool))
            torchvisionIndex += 1
        }
        return layers
    }

    /// Every convolution in order, as (input channels, output channels).
    public var convolutionChannels: [(input: Int, output: Int)] {
        layers.compactMap {
            if case .convolution(_, _, let input, let output) = $0.kind { return (input, output) }
            return nil
        }
    }

    /// The names of all activations, in order.
    public var layerNames: [String] { layers.map(\.name) }

    /// The shape of every layer's activation, in order, for an input of `height`×`width`.
    public func activationShapes(height: Int, width: Int) -> [Shape] {
        var shapes: [Shape] = []
        var current = Shape(channels: Self.inputChannels, height: height, width: width)
        for layer in layers {
            switch layer.kind {
            case .convolution(_, _, _, let output):
                current = Shape(channels: output, height: current.height, width: current.width)
            case .pool:
                current = Pool2x2.outputShape(for: current)
            }
            shapes.append(current)
        }
        return shapes
    }

    /// The shape of the activation called `name` for an input of `height`×`width` (to plan
    /// buffers, or to resample maps to a layer's size, before any forward pass).
    public func activationShape(of name: String, height: Int, width: Int) throws -> Shape {
        activationShapes(height: height, width: width)[try position(of: name)]
    }

    /// Position of the layer called `name` in `layers`.
    /// - Throws: `NetworkError.unknownLayer` if there is none.
    public func position(of name: String) throws -> Int {
        guard let position = layers.firstIndex(where: { $0.name == name }) else {
            throw NetworkError.unknownLayer(name: name, architecture: self.name)
        }
        return position
    }
}

/// One step of a VGG forward pass.
public struct VGGLayer: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// 3×3 convolution, padding 1, bias, then ReLU. `index` counts convolutions from 0;
        /// `torchvisionIndex` is the convolution's position in torchvision's `features`.
        case convolution(index: Int, torchvisionIndex: Int, inputChannels: Int, outputChannels: Int)
        /// 2×2 pooling with stride 2 (max or average, chosen per network).
        case pool
    }

    /// The name of the activation this layer produces (`relu3_1`, `pool2`).
    public var name: String
    public var kind: Kind
}
