import Tensor

/// Where the pixels of one feature map sit in the deep semantic space, as the guided style
/// statistics (`GuidedGramLoss`) need it: each segmentation region's pixels, and each pixel's
/// weight in every light band of that region.
///
/// A guidance cell is a region × a light band. The illumination group encodes the light level L
/// as the two channels (L, 1 − L), so the bands are "lit" and "shadowed" and a pixel's band weights
/// sum to its region weight: the cells are a soft partition of the image (Gatys et al. 2017's
/// guided Gram matrices, with the DSS as the guidance channels). Without a segmentation the image
/// is one region; without illumination a region is one band.
///
/// Regions are stored compactly (the indices of the pixels where the region's weight is not 0)
/// so that the statistics of all cells cost about as much as one Gram matrix of the whole map,
/// whatever the number of regions.
public struct StyleGuidance: Sendable {
    /// One region: its pixels (flat indices into H·W) and each band's weight at those pixels.
    public struct Region: Sendable {
        public var pixels: [Int32]
        /// `bands` arrays, each `pixels.count` long: region weight × band weight.
        public var bandWeights: [[Float]]
    }

    /// Region weights below this are treated as 0: area-downsampled one-hot maps are soft only
    /// along borders, and a sliver of weight would only add columns to the products.
    static let threshold: Float = 1e-3

    public let regions: [Region]
    public let bands: Int
    public let pixelCount: Int

    /// - Parameters:
    ///   - semantics: DSS groups at the feature map's size (Kᵢ×H×W), as the objectives hold them.
    ///   - segmentationGroup: which group is the segmentation (one-hot regions), if any; any
    ///     other group is taken as the illumination encoding (its channels are the bands).
    ///   - height, width: the feature map's size (for when there are no groups).
    public init(semantics: [Tensor], segmentationGroup: Int?, height: Int, width: Int) {
        let pixels = height * width
        pixelCount = pixels
        let segmentation = segmentationGroup.map { semantics[$0] }
        let light = semantics.indices.first { $0 != segmentationGroup }.map { semantics[$0] }
        for group in semantics {
            precondition(group.height == height && group.width == width, "DSS group \(group.shape) for \(height)×\(width)")
        }
        bands = light?.channels ?? 1
        let regionCount = segmentation?.channels ?? 1
        var regions: [Region] = []
        regions.reserveCapacity(regionCount)
        for k in 0..<regionCount {
            var indices: [Int32] = []
            var weights = [[Float]](repeating: [], count: bands)
            for p in 0..<pixels {
                let regionWeight = segmentation.map { $0[flat: k * pixels + p] } ?? 1
                guard regionWeight >= Self.threshold else { continue }
                indices.append(Int32(p))
                for b in 0..<bands {
                    weights[b].append(regionWeight * (light.map { $0[flat: b * pixels + p] } ?? 1))
                }
            }
            regions.append(Region(pixels: indices, bandWeights: weights))
        }
        self.regions = regions
    }

    /// The total weight of each cell, [region][band].
    public var masses: [[Double]] {
        regions.map { region in region.bandWeights.map { $0.reduce(0.0) { $0 + Double($1) } } }
    }
}
