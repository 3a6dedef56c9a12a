import Foundation
import Tensor

/// The few elementwise and copying steps that HED needs beyond the engine's operations, written on
/// `Tensor`'s public buffer access (the engine owns BLAS; none of these needs it).
extension Tensor {
    /// self = 1 / (1 + e^(−self)), in place.
    func applySigmoid() {
        withUnsafeMutableBufferPointer { values in
            for i in 0..<values.count { values[i] = 1 / (1 + exp(-values[i])) }
        }
    }

    /// Copies the single-channel `plane` (1×H×W) into channel `channel` of self (C×H×W).
    func setChannel(_ channel: Int, from plane: Tensor) {
        precondition(
            plane.channels == 1 && plane.height == height && plane.width == width,
            "channel \(plane.shape) into \(shape)")
        let count = shape.planeCount
        plane.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                for i in 0..<count { target[channel * count + i] = source[i] }
            }
        }
    }

    /// A copy grown at the bottom and right, by repeating the last row and column, to the next
    /// multiple of `multiple` in each dimension (self if it already is one).
    func paddedByReplication(toMultipleOf multiple: Int) -> Tensor {
        let paddedHeight = (height + multiple - 1) / multiple * multiple
        let paddedWidth = (width + multiple - 1) / multiple * multiple
        if paddedHeight == height && paddedWidth == width { return self }
        let result = Tensor(channels: channels, height: paddedHeight, width: paddedWidth)
        for c in 0..<channels {
            for y in 0..<paddedHeight {
                for x in 0..<paddedWidth {
                    result[c, y, x] = self[c, min(y, height - 1), min(x, width - 1)]
                }
            }
        }
        return result
    }

    /// The top-left `height`×`width` corner of every channel, as a new tensor.
    func cropped(height newHeight: Int, width newWidth: Int) -> Tensor {
        if newHeight == height && newWidth == width { return self }
        let result = Tensor(channels: channels, height: newHeight, width: newWidth)
        for c in 0..<channels {
            for y in 0..<newHeight {
                for x in 0..<newWidth { result[c, y, x] = self[c, y, x] }
            }
        }
        return result
    }
}
