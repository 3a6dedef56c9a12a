/// The shape of a Float32 tensor in Atelier's one layout: channels × height × width, batch 1,
/// row-major within a channel (DESIGN.md §5).
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        precondition(channels >= 0 && height >= 0 && width >= 0, "negative dimension in \(channels)×\(height)×\(width)")
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Number of elements in one channel plane.
    public var planeCount: Int { height * width }
    /// Number of elements in the whole tensor.
    public var count: Int { channels * height * width }

    public var description: String { "\(channels)×\(height)×\(width)" }
}
