import Tensor

/// The resizing the figures need: the painting brought to the output's scale, the content to the
/// output's size, and both capped before they go through the network.
extension Tensor {
    /// A copy at `height`×`width` (self when already that size): an area average when it shrinks
    /// (every input pixel counts, as a reduced painting should), bilinear when it grows (an area
    /// box would enlarge each pixel into a block with hard edges).
    func resized(height newHeight: Int, width newWidth: Int) -> Tensor {
        if newHeight == height && newWidth == width { return self }
        let result = Tensor(channels: channels, height: newHeight, width: newWidth)
        let shrinks = newHeight * newWidth <= height * width
        Resample.forward(self, into: result, kind: shrinks ? .area : .bilinear)
        return result
    }

    /// A copy scaled, aspect kept, so that its long side is `longSide` pixels.
    func resized(longSide: Int) -> Tensor {
        let scale = Double(longSide) / Double(Swift.max(height, width))
        return resized(
            height: Swift.max(1, Int((Double(height) * scale).rounded())),
            width: Swift.max(1, Int((Double(width) * scale).rounded())))
    }

    /// Self, or a copy reduced so that its long side is at most `maximumSide`.
    func capped(longSide maximumSide: Int) -> Tensor {
        Swift.max(height, width) > maximumSide ? resized(longSide: maximumSide) : self
    }

    /// The long side in pixels.
    var longSide: Int { Swift.max(height, width) }
}
