import Network
import Tensor
import TestSupport

/// An independent Float64 VGG forward pass written as plain loops: the reference that `VGG` is
/// checked against, and the exact loss for finite differences.
enum NaiveVGG {
    struct Activation {
        var shape: Shape
        var values: [Double]
    }

    /// All activations of `weights`' network on the RGB [0, 1] image `image` (3×H×W), by name, up
    /// to and including the layer called `last`.
    static func forward(
        _ weights: VGGWeights, pooling: Pool2x2.Kind, image: Tensor, through last: String
    ) -> [String: Activation] {
        var current = Activation(shape: image.shape, values: preprocess(image, weights.preprocessing))
        var result: [String: Activation] = [:]
        for layer in weights.architecture.layers {
            switch layer.kind {
            case .convolution(let index, _, _, _):
                current = convolve(current, weights.convolutions[index])
                current.values = current.values.map { max($0, 0) }
            case .pool:
                current = pool(current, pooling)
            }
            result[layer.name] = current
            if layer.name == last { break }
        }
        return result
    }

    static func preprocess(_ image: Tensor, _ preprocessing: Preprocessing) -> [Double] {
        let plane = image.shape.planeCount
        var values = [Double](repeating: 0, count: image.count)
        for c in 0..<3 {
            for i in 0..<plane {
                switch preprocessing {
                case .caffe:
                    values[c * plane + i] =
                        255 * Double(image[flat: (2 - c) * plane + i]) - [103.939, 116.779, 123.68][c]
                case .torch:
                    values[c * plane + i] =
                        (Double(image[flat: c * plane + i]) - [0.485, 0.456, 0.406][c]) / [0.229, 0.224, 0.225][c]
                }
            }
        }
        return values
    }

    /// 3×3 cross-correlation, zero padding 1, plus bias.
    static func convolve(_ input: Activation, _ convolution: VGGWeights.Convolution) -> Activation {
        let (h, w, cin, cout) = (
            input.shape.height, input.shape.width, convolution.inputChannels, convolution.outputChannels
        )
        var output = [Double](repeating: 0, count: cout * h * w)
        for o in 0..<cout {
            for y in 0..<h {
                for x in 0..<w {
                    var sum = Double(convolution.bias[o])
                    for i in 0..<cin {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let (sy, sx) = (y + ky - 1, x + kx - 1)
                                guard sy >= 0, sy < h, sx >= 0, sx < w else { continue }
                                sum +=
                                    Double(convolution.weight[((o * cin + i) * 3 + ky) * 3 + kx])
                                    * input.values[(i * h + sy) * w + sx]
                            }
                        }
                    }
                    output[(o * h + y) * w + x] = sum
                }
            }
        }
        return Activation(shape: Shape(channels: cout, height: h, width: w), values: output)
    }

    /// 2×2 pooling, stride 2, odd last row/column dropped.
    static func pool(_ input: Activation, _ kind: Pool2x2.Kind) -> Activation {
        let (c, h, w) = (input.shape.channels, input.shape.height, input.shape.width)
        let shape = Shape(channels: c, height: h / 2, width: w / 2)
        var output = [Double](repeating: 0, count: shape.count)
        for k in 0..<c {
            for y in 0..<h / 2 {
                for x in 0..<w / 2 {
                    let window = [(0, 0), (0, 1), (1, 0), (1, 1)].map {
                        input.values[(k * h + 2 * y + $0) * w + 2 * x + $1]
                    }
                    output[(k * shape.height + y) * shape.width + x] =
                        kind == .max ? window.max()! : window.reduce(0, +) / 4
                }
            }
        }
        return Activation(shape: shape, values: output)
    }
}

