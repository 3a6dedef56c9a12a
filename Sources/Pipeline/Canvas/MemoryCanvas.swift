import ImageIO
import Tensor

/// A canvas held in one in-memory tensor: for levels small enough to keep whole (the tests, and
/// every level of an ordinary photo). Gigapixel levels use a file-backed canvas instead.
public final class MemoryCanvas: Canvas {
    /// The pixels, channels × height × width.
    public let tensor: Tensor

    public var channels: Int { tensor.channels }
    public var width: Int { tensor.width }
    public var height: Int { tensor.height }

    /// A zero-filled canvas.
    public init(channels: Int, width: Int, height: Int) {
        tensor = Tensor(channels: channels, height: height, width: width)
    }

    /// A canvas that adopts `tensor` (not copied: writes to the canvas change it).
    public init(_ tensor: Tensor) {
        self.tensor = tensor
    }

    public func read(_ rect: PixelRect, into target: Tensor) {
        check(rect, target)
        target.withUnsafeMutableBufferPointer { to in
            tensor.withUnsafeBufferPointer { from in
                copyRows(of: rect) { canvasStart, tensorStart, count in
                    (to.baseAddress! + tensorStart).update(from: from.baseAddress! + canvasStart, count: count)
                }
            }
        }
    }

    public func write(_ source: Tensor, at rect: PixelRect) {
        check(rect, source)
        source.withUnsafeBufferPointer { from in
            tensor.withUnsafeMutableBufferPointer { to in
                copyRows(of: rect) { canvasStart, tensorStart, count in
                    (to.baseAddress! + canvasStart).update(from: from.baseAddress! + tensorStart, count: count)
                }
            }
        }
    }

    /// Calls `copy` once per channel row of `rect` with the row's start in the canvas, its start in
    /// a rect-sized tensor, and its length.
    private func copyRows(of rect: PixelRect, _ copy: (Int, Int, Int) -> Void) {
        for c in 0..<channels {
            for row in 0..<rect.height {
                copy((c * height + rect.y + row) * width + rect.x, (c * rect.height + row) * rect.width, rect.width)
            }
        }
    }

    private func check(_ rect: PixelRect, _ other: Tensor) {
        precondition(PixelRect(width: width, height: height).contains(rect), "\(rect) is outside the \(width)×\(height) canvas")
        precondition(other.shape == Shape(channels: channels, height: rect.height, width: rect.width),
                     "a \(other.shape) tensor for \(channels) channels over \(rect)")
    }
}

extension Canvas {
    /// The pixels of `rect` as a new tensor.
    public func read(_ rect: PixelRect) -> Tensor {
        let tensor = Tensor(channels: channels, height: rect.height, width: rect.width)
        read(rect, into: tensor)
        return tensor
    }
}
