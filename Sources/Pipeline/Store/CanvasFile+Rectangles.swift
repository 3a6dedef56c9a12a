import ImageIO
import Tensor

/// Rectangle reads and writes (the `Canvas` contract): each row of each channel of the rectangle
/// is one contiguous run in the file, copied as it is (Float32) or converted (Float16).
extension CanvasFile {
    public func read(_ rect: PixelRect, into tensor: Tensor) {
        check(rect, tensor)
        let samples = UnsafeRawPointer(self.samples)
        tensor.withUnsafeMutableBufferPointer { buffer in
            forEachRun(of: rect) { fileOffset, tensorOffset in
                let target = buffer.baseAddress! + tensorOffset
                switch precision {
                case .float32:
                    target.update(from: (samples + 4 * fileOffset).assumingMemoryBound(to: Float.self), count: rect.width)
                case .float16:
                    HalfFloat.decode(
                        (samples + 2 * fileOffset).assumingMemoryBound(to: UInt16.self), into: target, count: rect.width)
                }
            }
        }
        touched(rect)
    }

    public func write(_ tensor: Tensor, at rect: PixelRect) {
        check(rect, tensor)
        precondition(isWritable, "\(path): write to a canvas opened read-only")
        let samples = self.samples
        tensor.withUnsafeBufferPointer { buffer in
            forEachRun(of: rect) { fileOffset, tensorOffset in
                let source = buffer.baseAddress! + tensorOffset
                switch precision {
                case .float32:
                    (samples + 4 * fileOffset).assumingMemoryBound(to: Float.self).update(from: source, count: rect.width)
                case .float16:
                    HalfFloat.encode(
                        source, into: (samples + 2 * fileOffset).assumingMemoryBound(to: UInt16.self), count: rect.width)
                }
            }
        }
        touched(rect)
    }

    /// Calls `body(fileOffset, tensorOffset)`, in samples, for the start of every row of every
    /// channel of `rect`, in file order.
    private func forEachRun(of rect: PixelRect, _ body: (Int, Int) -> Void) {
        for channel in 0..<channels {
            for row in 0..<rect.height {
                let fileOffset = (channel * height + rect.y + row) * width + rect.x
                body(fileOffset, (channel * rect.height + row) * rect.width)
            }
        }
    }

    /// A rectangle off the canvas or a tensor of the wrong shape is the caller's bug, as for an
    /// array index: the protocol's methods do not throw.
    private func check(_ rect: PixelRect, _ tensor: Tensor) {
        precondition(
            !rect.isEmpty && PixelRect(width: width, height: height).contains(rect),
            "\(path): rectangle \(rect) is not inside the \(width)x\(height) canvas")
        precondition(
            tensor.shape == Shape(channels: channels, height: rect.height, width: rect.width),
            "\(path): a \(tensor.shape) tensor for a \(channels)-channel \(rect) rectangle")
    }
}
