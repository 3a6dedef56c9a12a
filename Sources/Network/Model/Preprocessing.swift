import Tensor

/// How a weights file expects its input, recorded in the file's metadata as `preprocessing`.
///
/// Atelier's images are RGB in [0, 1]; the network input is derived from them here, and the
/// gradient with respect to the network input is mapped back to the image by `backward`.
public enum Preprocessing: String, Sendable, CaseIterable {
    /// Caffe VGG (and HED): BGR, 0–255, the ImageNet mean [103.939, 116.779, 123.68] (BGR)
    /// subtracted. HED's own code subtracts [104.007, 116.669, 122.679], its training set's mean;
    /// the difference is under one grey level and does not visibly change the edges.
    case caffe
    /// torchvision/timm: RGB, 0–1, normalised by the ImageNet mean and standard deviation.
    case torch

    /// Caffe's per-channel mean, in BGR order, on the 0–255 scale.
    public static let caffeMeanBGR: [Float] = [103.939, 116.779, 123.68]
    /// torchvision's ImageNet mean and standard deviation, RGB, on the 0–1 scale.
    public static let torchMeanRGB: [Float] = [0.485, 0.456, 0.406]
    public static let torchStandardDeviationRGB: [Float] = [0.229, 0.224, 0.225]

    /// For network input channel `channel`: the image channel it reads, its scale and offset
    /// (`input = scale · image + offset`).
    public func affine(channel: Int) -> (source: Int, scale: Float, offset: Float) {
        switch self {
        case .caffe:
            return (2 - channel, 255, -Self.caffeMeanBGR[channel])
        case .torch:
            let deviation = Self.torchStandardDeviationRGB[channel]
            return (channel, 1 / deviation, -Self.torchMeanRGB[channel] / deviation)
        }
    }

    /// Writes the network input for the RGB [0, 1] `image` into `input` (both 3×H×W).
    public func apply(_ image: Tensor, into input: Tensor) {
        precondition(image.shape == input.shape && image.channels == 3, "preprocess \(image.shape) into \(input.shape)")
        let plane = image.shape.planeCount
        image.withUnsafeBufferPointer { source in
            input.withUnsafeMutableBufferPointer { target in
                for channel in 0..<3 {
                    let (from, scale, offset) = affine(channel: channel)
                    for i in 0..<plane { target[channel * plane + i] = scale * source[from * plane + i] + offset }
                }
            }
        }
    }

    /// Maps `inputGradient`, a gradient with respect to the network input, to the gradient with
    /// respect to the RGB [0, 1] image, written into `imageGradient`.
    public func backward(_ inputGradient: Tensor, into imageGradient: Tensor) {
        precondition(inputGradient.shape == imageGradient.shape && inputGradient.channels == 3)
        let plane = inputGradient.shape.planeCount
        inputGradient.withUnsafeBufferPointer { source in
            imageGradient.withUnsafeMutableBufferPointer { target in
                for channel in 0..<3 {
                    let (to, scale, _) = affine(channel: channel)
                    for i in 0..<plane { target[to * plane + i] = scale * source[channel * plane + i] }
                }
            }
        }
    }
}
