import Network
import Tensor

/// The style figure: how far the output's feature statistics are from the painting's, as the
/// distance between Gram matrices (Gatys et al. 2016) of the default VGG-16 at relu1_1 … relu5_1,
/// the layers of Gatys' style loss. Shallow layers carry colour and fine texture, deep ones
/// strokes and motifs.
///
/// Per layer the figure is the relative Frobenius distance ‖G_out − G_style‖ / ‖G_style‖, with
/// each Gram normalised by its pixel count (`Gram`), so it does not depend on the image size:
/// 0 for the same statistics, about 0.7–0.9 for an untouched photo against a painting, and far
/// above 1 for a picture much poorer in texture than the painting (a flat colour map: about 15).
/// The style figure is the mean over the layers.
public enum GramDistance {
    /// The layers compared, shallow to deep.
    public static let layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
    /// The long side at which the network runs at most (its activations take about 1 KB per
    /// pixel); the painting is first scaled to the output's long side, then both are capped.
    public static let maximumSide = 1024

    /// The distance at each of `layers`, in order, between `output` and `painting` (RGB in 0…1).
    /// `vgg` should be the VGG-16 with max pooling, as it was trained.
    /// - Throws: `NetworkError.imageTooSmall` for an image too small to reach relu5_1.
    public static func layerDistances(output: Tensor, painting: Tensor, vgg: VGG) throws -> [LayerDistance] {
        let outputInput = output.capped(longSide: maximumSide)
        let paintingInput = painting.resized(longSide: output.longSide).capped(longSide: maximumSide)
        let outputGrams = try grams(of: outputInput, vgg: vgg)
        let paintingGrams = try grams(of: paintingInput, vgg: vgg)
        return layers.map { layer in
            LayerDistance(layer: layer, distance: relativeDistance(outputGrams[layer]!, paintingGrams[layer]!))
        }
    }

    /// ‖a − b‖ / ‖b‖ (Frobenius), in Float64; 0 when both are zero, and infinite when only b is.
    public static func relativeDistance(_ a: Tensor, _ b: Tensor) -> Double {
        precondition(a.shape == b.shape, "Gram distance between \(a.shape) and \(b.shape)")
        let (difference, reference) = a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                var difference = 0.0, reference = 0.0
                for i in 0..<x.count {
                    let d = Double(x[i]) - Double(y[i])
                    difference += d * d
                    reference += Double(y[i]) * Double(y[i])
                }
                return (difference, reference)
            }
        }
        if difference == 0 { return 0 }
        return (difference / reference).squareRoot()
    }

    /// The Gram matrix of each layer for `image`.
    private static func grams(of image: Tensor, vgg: VGG) throws -> [String: Tensor] {
        let activations = try vgg.features(of: image, layers: layers)
        var result: [String: Tensor] = [:]
        for layer in layers {
            let features = activations[layer]!
            let gram = Tensor(Gram.shape(for: features.shape))
            Gram.forward(features, into: gram)
            result[layer] = gram
        }
        return result
    }
}

/// The style figure at one layer.
public struct LayerDistance: Sendable, Equatable {
    public var layer: String
    public var distance: Double
}
