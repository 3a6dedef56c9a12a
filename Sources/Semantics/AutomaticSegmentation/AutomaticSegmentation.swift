import Tensor

/// Segmentation when the user gives no maps (DESIGN.md §1): k-means computed jointly over the
/// content's and the style's pixels, so that label k is one cluster of both images and means the
/// same in both. Each pixel is described by its colour, its position and, when the caller passes
/// them, its deep features (relu3_1 or relu4_1 of the same network); see `ClusteringPoints` for
/// how the groups are balanced.
///
/// The default K is 5: the hand-painted maps shipped as samples have 5 or 6 regions (sky, sea,
/// rock, shadowed rock, grass; background, coat, face, hair, brows, eyes), and K must stay small
/// for the joint clustering to work: the more clusters, the more of them fall in one image only,
/// and a label only one image has gives its patches no semantic partner.
public struct AutomaticSegmentation: Sendable {
    /// The weight of each group of clustering features: its total variance over the points is
    /// the weight squared.
    public struct GroupWeights: Sendable, Equatable {
        public var colour: Float
        public var position: Float
        public var features: Float

        /// Colour and features 1; position 0.5, enough to keep clusters in one piece without
        /// making them stripes of the frame (content and style are laid out differently).
        public init(colour: Float = 1, position: Float = 0.5, features: Float = 1) {
            self.colour = colour
            self.position = position
            self.features = features
        }
    }

    /// The number of clusters K (labels; fewer if an image has fewer distinct pixels).
    public var k: Int
    /// The seed of k-means++: the same seed gives the same labels.
    public var seed: UInt64
    public var weights = GroupWeights()
    /// The long side, in pixels, at which each image is clustered (128: a relu3_1 map of a 512
    /// image, and a few tens of thousands of points for both images).
    public var workingSide = 128
    /// Regions smaller than this fraction of an image's working area are merged into the label
    /// around them (1/256: a 6×8 speck at 128×96).
    public var minimumRegionFraction: Float = 1.0 / 256
    public var maximumIterations = 50
    /// The radius, in working pixels, of the box mean applied to the deep features: a region is
    /// what the features say around a pixel, not the edge response right on it (without it, strong
    /// edges become thin regions of their own).
    public var featureRadius = 2

    public init(k: Int = 5, seed: UInt64 = 0) {
        precondition(k >= 1, "the automatic segmentation needs k ≥ 1, not \(k)")
        self.k = k
        self.seed = seed
    }

    /// Joint labels of the content and the style (RGB, 3×H×W, 0…1), each at its image's size.
    /// - Parameters:
    ///   - contentFeatures, styleFeatures: deep features of the two images from the same layer
    ///     (any size: they are resampled to the working size), or both nil for colour and
    ///     position only.
    public func labels(
        content: Tensor, style: Tensor, contentFeatures: Tensor? = nil, styleFeatures: Tensor? = nil
    ) -> (content: LabelMap, style: LabelMap) {
        precondition(
            (contentFeatures == nil) == (styleFeatures == nil), "give the features of both images or of neither")
        let features = contentFeatures.flatMap { c in styleFeatures.map { [c, $0] } }
        let maps = labels(images: [content, style], features: features)
        return (maps[0], maps[1])
    }

    /// The labels of a single image (what `atelier dss` shows for one image without a map).
    public func labels(image: Tensor, features: Tensor? = nil) -> LabelMap {
        labels(images: [image], features: features.map { [$0] })[0]
    }

    /// Clusters all the images together; labels are numbered by total area, largest first.
    func labels(images: [Tensor], features: [Tensor]?) -> [LabelMap] {
        precondition(images.allSatisfy { $0.channels == 3 }, "automatic segmentation of RGB images")
        if let features {
            precondition(Set(features.map(\.channels)).count == 1, "features of different layers")
        }
        let points = ClusteringPoints(
            images: images, features: features, workingSide: workingSide, weights: weights,
            featureRadius: featureRadius)
        var random = SplitMix64(seed: seed)
        let clusters = KMeans(k: k, maximumIterations: maximumIterations)
            .clusters(of: points.values, count: points.count, dimension: max(points.dimension, 1), using: &random)
        var grids = points.sizes.indices.map { image in
            var grid = LabelGrid(
                width: points.sizes[image].width, height: points.sizes[image].height,
                labels: Array(clusters[points.range(ofImage: image)]))
            grid.majorityFilter()
            grid.majorityFilter()
            grid.mergeSmallRegions(minimumArea: Int(minimumRegionFraction * Float(grid.labels.count)))
            return grid
        }
        // Renumber by area so that label 0 is the largest cluster and no label is empty.
        var areas = [Int: Int]()
        for grid in grids { for label in grid.labels { areas[Int(label), default: 0] += 1 } }
        let order = areas.keys.sorted { areas[$0]! != areas[$1]! ? areas[$0]! > areas[$1]! : $0 < $1 }
        var renamed = [Int32](repeating: 0, count: max(k, (order.max() ?? 0) + 1))
        for (new, old) in order.enumerated() { renamed[old] = Int32(new) }
        for index in grids.indices { grids[index].labels = grids[index].labels.map { renamed[Int($0)] } }
        return zip(grids, images).map { grid, image in
            LabelMap(
                width: image.width, height: image.height, count: order.count,
                labels: grid.enlarged(width: image.width, height: image.height))
        }
    }
}
