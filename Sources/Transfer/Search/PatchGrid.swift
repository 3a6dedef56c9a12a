import Tensor

/// Where a set of 3×3 patches sits: the valid patches of a (rows + 2) × (columns + 2) feature
/// map, row-major (patch p = y · columns + x has its top-left corner at (y, x), as `Patches`
/// lays them out), each with an optional region label.
///
/// The exact search needs none of this; the approximate search propagates matches between
/// neighbouring patches, samples around a match in the style's grid, and keeps each patch to
/// style patches of its own region.
public struct PatchGrid: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// The region label of each patch (`count` of them, ≥ 0), or nil when the deep semantic
    /// space has no segmentation: any style patch may then match.
    public var labels: [Int32]?

    public var count: Int { rows * columns }

    public init(rows: Int, columns: Int, labels: [Int32]? = nil) {
        precondition(rows >= 0 && columns >= 0, "a patch grid of \(rows)×\(columns)")
        precondition(labels.map { $0.count == rows * columns } ?? true, "one label per patch")
        self.rows = rows
        self.columns = columns
        self.labels = labels
    }

    /// The grid of the valid patches of a feature map, labelled from its segmentation group
    /// (K×H×W, the one-hot area fractions at this layer's size) when one is given.
    public init(map: Shape, segmentation: Tensor? = nil) {
        let rows = max(map.height - 2, 0), columns = max(map.width - 2, 0)
        if let segmentation {
            precondition(segmentation.height == map.height && segmentation.width == map.width,
                         "segmentation \(segmentation.shape) for a map \(map)")
        }
        self.init(rows: rows, columns: columns, labels: segmentation.map(Self.centreLabels))
    }

    /// Each patch's label: the arg-max of the segmentation channels at the patch's centre pixel
    /// (the lowest label on a tie), so a patch on a region border goes to the region covering
    /// most of its centre.
    static func centreLabels(of segmentation: Tensor) -> [Int32] {
        let (height, width) = (segmentation.height, segmentation.width)
        let rows = max(height - 2, 0), columns = max(width - 2, 0)
        var labels = [Int32](repeating: 0, count: rows * columns)
        for y in 0..<rows {
            for x in 0..<columns {
                var best: Float = -.infinity, label = 0
                for k in 0..<segmentation.channels where segmentation[k, y + 1, x + 1] > best {
                    best = segmentation[k, y + 1, x + 1]
                    label = k
                }
                labels[y * columns + x] = Int32(label)
            }
        }
        return labels
    }
}
