import Tensor

/// The deep semantic space of one image (the content's or the style's): its segmentation and
/// its lighting level at the image's resolution, and the DSS groups made from them at any
/// layer's size.
public struct SemanticStack: Sendable {
    /// The image's region labels, or nil when the segmentation group is not used.
    public let segmentation: LabelMap?
    /// The image's lighting level (1×H×W, 0…1), or nil when the illumination group is not used.
    public let illumination: Tensor?

    public init(segmentation: LabelMap?, illumination: Tensor?) {
        if let segmentation, let illumination {
            precondition(
                segmentation.width == illumination.width && segmentation.height == illumination.height,
                "segmentation \(segmentation.width)×\(segmentation.height), illumination \(illumination.shape)")
        }
        precondition(illumination.map { $0.channels == 1 } ?? true, "illumination is a 1×H×W level")
        self.segmentation = segmentation
        self.illumination = illumination
    }

    /// The DSS groups at a layer of `height × width`, unweighted, in the order of
    /// `DeepSemanticSpace.groups`: the segmentation one-hot (K channels, each layer pixel holding
    /// the fraction of its footprint that each label covers) and the illumination (L, 1 − L).
    /// Both are area-downsampled from the image's resolution.
    public func groups(height: Int, width: Int) -> [Tensor] {
        var groups: [Tensor] = []
        if let segmentation { groups.append(SemanticStack.area(segmentation.oneHot(), height: height, width: width)) }
        if let illumination {
            groups.append(SemanticStack.area(Illumination.encode(illumination), height: height, width: width))
        }
        return groups
    }

    private static func area(_ tensor: Tensor, height: Int, width: Int) -> Tensor {
        if tensor.height == height && tensor.width == width { return tensor }
        let output = Tensor(channels: tensor.channels, height: height, width: width)
        Resample.forward(tensor, into: output, kind: .area)
        return output
    }
}
