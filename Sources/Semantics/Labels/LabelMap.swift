/// A segmentation: one region label per pixel, in 0..<count, row-major.
///
/// The same label in the content's and the style's maps means the same kind of region: that is
/// what makes the segmentation part of the deep semantic space (DESIGN.md §1).
public struct LabelMap: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// The number of labels K (the one-hot encoding has K channels).
    public let count: Int
    /// `width × height` labels, each in `0..<count`.
    public let labels: [Int32]
    /// The colour (RGB, 0…1) each label had in the user's colour-coded map; nil for an automatic
    /// segmentation.
    public let palette: [SIMD3<Float>]?

    public init(width: Int, height: Int, count: Int, labels: [Int32], palette: [SIMD3<Float>]? = nil) {
        precondition(labels.count == width * height, "\(labels.count) labels for \(width)×\(height)")
        precondition(count >= 1, "a label map needs at least one label")
        precondition(labels.allSatisfy { $0 >= 0 && Int($0) < count }, "a label outside 0..<\(count)")
        precondition(palette == nil || palette!.count == count, "one palette colour per label")
        self.width = width
        self.height = height
        self.count = count
        self.labels = labels
        self.palette = palette
    }

    /// The label at (`x`, `y`).
    public subscript(x x: Int, y y: Int) -> Int { Int(labels[y * width + x]) }

    /// The number of pixels that carry each label.
    public var areas: [Int] {
        var areas = [Int](repeating: 0, count: count)
        for label in labels { areas[Int(label)] += 1 }
        return areas
    }
}
