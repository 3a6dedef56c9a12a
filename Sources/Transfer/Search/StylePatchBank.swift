import Tensor

/// The style side of one layer's deep semantic loss: every 3×3 patch of the style's features
/// (the targets of the matches) and its search key (features + DSS, see `PatchKeys`), with the
/// nearest-neighbour search over those keys.
///
/// A bank depends only on the style at one level, so it is built once per level and shared by
/// every objective of that level: the whole image, or each of its tiles (DESIGN.md §2).
///
/// The matched patches' targets are read from the style's feature map, not kept as a patch
/// matrix: that matrix repeats each value nine times (1.5 GB at relu3_1 for a 2048 × 1280 style,
/// where the map is 168 MB), and so would the keys' patch matrix, which is made by bands.
public final class StylePatchBank {
    /// The style's features at this layer, C×H×W: the targets of the matched patches.
    public let features: Tensor
    /// The style's search keys, 1 × N × (C·9 + Σ Kᵢ·9), built with unit DSS weights: the weights
    /// sit on the query side only, so that one bank serves any weights.
    public let keys: Tensor
    /// The channel count Kᵢ of each DSS group the bank was built with (none for CNNMRF).
    public let semanticChannels: [Int]
    /// The style feature map's height and width: the bank's patches are its valid 3×3 patches,
    /// row-major on a (height − 2) × (width − 2) grid.
    public let featureHeight: Int
    public let featureWidth: Int
    /// The patches' grid, labelled from the segmentation group when there is one.
    public let grid: PatchGrid
    /// Which DSS group is the segmentation (one-hot regions), if any: its labels restrict the
    /// approximate search's candidates.
    public let segmentationGroup: Int?
    public let search: NearestPatchSearch

    /// - Parameters:
    ///   - styleFeatures: the style's features at this layer, C×H×W (H, W ≥ 3).
    ///   - styleSemantics: the style's DSS groups at this layer's size, each Kᵢ×H×W (e.g.
    ///     segmentation, illumination); empty for none.
    ///   - segmentationGroup: the index in `styleSemantics` of the segmentation group, if any.
    ///   - makeSearch: builds the nearest-neighbour search over the style keys and their grid
    ///     (exact by default).
    public init(
        styleFeatures: Tensor, styleSemantics: [Tensor], segmentationGroup: Int? = nil,
        makeSearch: (Tensor, PatchGrid) -> NearestPatchSearch = { keys, _ in ExactPatchSearch(bank: keys) }
    ) {
        precondition(segmentationGroup.map { styleSemantics.indices.contains($0) } ?? true,
                     "segmentation group \(segmentationGroup!) of \(styleSemantics.count)")
        precondition(styleFeatures.height >= 3 && styleFeatures.width >= 3,
                     "style features \(styleFeatures.shape) are smaller than one 3×3 patch")
        for semantics in styleSemantics {
            precondition(semantics.height == styleFeatures.height && semantics.width == styleFeatures.width,
                         "style DSS \(semantics.shape) does not match style features \(styleFeatures.shape)")
        }
        semanticChannels = styleSemantics.map(\.channels)
        featureHeight = styleFeatures.height
        featureWidth = styleFeatures.width
        self.segmentationGroup = segmentationGroup
        grid = PatchGrid(map: styleFeatures.shape, segmentation: segmentationGroup.map { styleSemantics[$0] })
        features = styleFeatures.clone()
        keys = Tensor(Shape(channels: 1, height: grid.count,
                            width: ([styleFeatures] + styleSemantics).reduce(0) { $0 + $1.channels * 9 }))
        PatchKeys.build(maps: [styleFeatures] + styleSemantics, weights: styleSemantics.map { _ in 1 }, into: keys)
        search = makeSearch(keys, grid)
    }

    /// How many style patches the bank holds.
    public var count: Int { grid.count }
}
