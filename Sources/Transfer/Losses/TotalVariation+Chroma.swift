import Tensor

extension TotalVariation {
    /// The opponent colour axes (rows: red − green, yellow − blue) whose total variation the
    /// chroma prior measures; luminance is left to the plain prior.
    static let chromaAxes: [SIMD3<Float>] = [SIMD3(1, -1, 0), SIMD3(0.5, 0.5, -1)]

    /// Total variation of the image's chroma: L = (1/N) Σ_axes Σ [(a·x[p+1] − a·x[p])² + …] over
    /// the opponent axes a (red−green, yellow−blue) of RGB pixels, N the number of elements.
    ///
    /// Why a separate prior: the default VGG-16 (HED weights, tuned to respond to edges) is
    /// driven by the patch loss to paint edges in any colour, which shows as rainbow speckle. A
    /// prior on high-frequency *chroma* removes that speckle while the strokes, which live in
    /// luminance, stay sharp: a painter's colours change slowly, the light and dark of the
    /// brush strokes fast.
    /// - Returns: the loss times `weight`; the gradient times `weight` is added to `gradient`.
    public static func accumulateChroma(_ image: Tensor, weight: Float, into gradient: Tensor) -> Double {
        precondition(image.channels == 3 && gradient.shape == image.shape, "chroma TV needs RGB, got \(image.shape)")
        let (h, w) = (image.height, image.width)
        let plane = h * w
        let scale = weight / Float(image.count)
        var loss = 0.0
        image.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableBufferPointer { g in
                for axis in chromaAxes {
                    func value(_ i: Int) -> Float { axis.x * x[i] + axis.y * x[plane + i] + axis.z * x[2 * plane + i] }
                    func push(_ i: Int, _ amount: Float) {
                        g[i] += axis.x * amount
                        g[plane + i] += axis.y * amount
                        g[2 * plane + i] += axis.z * amount
                    }
                    var sum: Float = 0
                    for y in 0..<h {
                        for xx in 0..<w {
                            let i = y * w + xx
                            let here = value(i)
                            if xx + 1 < w {
                                let d = value(i + 1) - here
                                sum += d * d
                                push(i + 1, 2 * scale * d)
                                push(i, -2 * scale * d)
                            }
                            if y + 1 < h {
                                let d = value(i + w) - here
                                sum += d * d
                                push(i + w, 2 * scale * d)
                                push(i, -2 * scale * d)
                            }
                        }
                    }
                    loss += Double(sum)
                }
            }
        }
        return loss * Double(scale)
    }
}
