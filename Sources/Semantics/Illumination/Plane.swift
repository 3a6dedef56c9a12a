/// One channel of values, row-major: the working form of the illumination estimate, whose steps
/// (box means, edge-preserving filter, levels) are all per pixel on a single plane.
struct Plane: Equatable {
    let width: Int
    let height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height, "\(values.count) values for a \(width)×\(height) plane")
        self.width = width
        self.height = height
        self.values = values
    }

    /// Element-wise combination of two planes of the same size.
    func combined(with other: Plane, _ operation: (Float, Float) -> Float) -> Plane {
        precondition(other.width == width && other.height == height, "planes of different sizes")
        return Plane(width: width, height: height, values: zip(values, other.values).map(operation))
    }

    func mapped(_ transform: (Float) -> Float) -> Plane {
        Plane(width: width, height: height, values: values.map(transform))
    }
}
