import ImageIO
import Tensor

/// Rectangle copies between a tensor and a part of it: how level chunks are assembled and
/// windows of a small in-memory map are cut.
extension Tensor {
    /// A copy of the pixels of `rect` (inside the tensor), all channels.
    func cropped(to rect: PixelRect) -> Tensor {
        let part = Tensor(channels: channels, height: rect.height, width: rect.width)
        withUnsafeBufferPointer { from in
            part.withUnsafeMutableBufferPointer { to in
                for c in 0..<channels {
                    for row in 0..<rect.height {
                        let source = (c * height + rect.y + row) * width + rect.x
                        let target = (c * rect.height + row) * rect.width
                        for column in 0..<rect.width { to[target + column] = from[source + column] }
                    }
                }
            }
        }
        return part
    }

    /// Copies `part` (same channels) into this tensor with its top-left pixel at (`x`, `y`).
    func paste(_ part: Tensor, atX x: Int, y: Int) {
        precondition(part.channels == channels && x + part.width <= width && y + part.height <= height)
        part.withUnsafeBufferPointer { from in
            withUnsafeMutableBufferPointer { to in
                for c in 0..<channels {
                    for row in 0..<part.height {
                        let source = (c * part.height + row) * part.width
                        let target = (c * height + y + row) * width + x
                        for column in 0..<part.width { to[target + column] = from[source + column] }
                    }
                }
            }
        }
    }
}
