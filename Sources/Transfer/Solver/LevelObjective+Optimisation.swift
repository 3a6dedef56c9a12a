import ImageIO
import Tensor

extension LevelObjective {
    /// Optimises `image` (3×h×w, in place) for `iterations` iterations of bounded L-BFGS on this
    /// objective, the patch matches searched afresh at the start of each iteration and held during
    /// its line search (a line search over a moving objective fails; see `LBFGS.minimize`).
    ///
    /// - Parameter free: the pixels allowed to change; the rest is read-only context (a tile's
    ///   halo). Their gradient is masked to zero, so every L-BFGS direction, step and curvature
    ///   pair is zero there and they keep their exact values. Nil frees the whole image.
    /// - Parameter iterationFinished: called after each iteration with its index and the image.
    /// - Returns: the loss before the first iteration and after each one.
    @discardableResult
    public func optimise(
        _ image: Tensor, iterations: Int, free: PixelRect? = nil,
        iterationFinished: ((Int, Tensor) throws -> Void)? = nil
    ) throws -> [Double] {
        let everything = PixelRect(width: image.width, height: image.height)
        let region = free ?? everything
        precondition(everything.contains(region), "free region \(region) outside the \(image.width)×\(image.height) image")
        func evaluate(_ x: Tensor, _ gradient: Tensor, searching: Bool) throws -> Double {
            let value = try self.evaluate(x, gradient: gradient, searching: searching)
            if region != everything { Self.zero(gradient, outside: region) }
            return value
        }
        return try LBFGS(shape: image.shape).minimize(
            image, iterations: iterations,
            objective: { x, gradient in try evaluate(x, gradient, searching: false) },
            refresh: { x, gradient in try evaluate(x, gradient, searching: true) },
            iterationFinished: iterationFinished)
    }

    /// Sets every channel of `tensor` to 0 outside `region`.
    static func zero(_ tensor: Tensor, outside region: PixelRect) {
        let width = tensor.width, height = tensor.height
        tensor.withUnsafeMutableBufferPointer { values in
            for c in 0..<tensor.channels {
                for y in 0..<height {
                    let row = values.baseAddress! + (c * height + y) * width
                    if y < region.y || y >= region.maxY {
                        row.update(repeating: 0, count: width)
                    } else {
                        row.update(repeating: 0, count: region.x)
                        (row + region.maxX).update(repeating: 0, count: width - region.maxX)
                    }
                }
            }
        }
    }
}
