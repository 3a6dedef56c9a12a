import Network
import Tensor

/// The deep features that the automatic segmentation clusters on (with colour and position):
/// relu3_1 of the image reduced to at most 512 pixels on its long side, where the features are
/// regional rather than textural and the pass is cheap.
enum SegmentationFeatures {
    static let layer = "relu3_1"
    static let side = 512

    /// `image`'s relu3_1 features, by a features-only pass: it keeps none of its buffers (those of a
    /// pass with a tape up to relu3_1 at 512 pixels are ~100 MB, which a coordinator, whose network
    /// does nothing else, would otherwise hold for the whole run).
    static func of(_ image: Tensor, vgg: VGG) throws -> Tensor {
        let scale = min(1, Double(side) / Double(max(image.height, image.width)))
        let input = Tensor(
            channels: 3, height: max(16, Int((Double(image.height) * scale).rounded())),
            width: max(16, Int((Double(image.width) * scale).rounded())))
        Resample.area(image, into: input)
        return try vgg.features(of: input, layers: [layer])[layer]!
    }
}
