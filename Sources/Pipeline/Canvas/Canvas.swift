import ImageIO
import Tensor

/// A level's image, C×H×W pixels read and written by rectangle (STYLE.md §5: a request is a
/// rectangle). The coordinator never needs a whole gigapixel level at once, so a canvas may live in
/// memory or in a memory-mapped file of the run directory, and the pipeline does not care which.
public protocol Canvas: AnyObject {
    var channels: Int { get }
    var width: Int { get }
    var height: Int { get }
    /// Copies the pixels of `rect` (inside the canvas) into `tensor` (channels × rect.height × rect.width).
    func read(_ rect: PixelRect, into tensor: Tensor)
    /// Copies `tensor` (channels × rect.height × rect.width) into the pixels of `rect` (inside the canvas).
    func write(_ tensor: Tensor, at rect: PixelRect)
}
