/// Bicubic resampling (Keys' kernel, a = −0.5, as Catmull-Rom) from a source of `sourceSize` to
/// a target of `targetSize`, computed for one output rectangle at a time from just the input
/// rectangle it needs (STYLE.md §5). Pixel centres are aligned (x_src = (x + ½)·s − ½), edges
/// are clamped, and results are clamped to 0…1 so overshoot never leaves the value range.
/// The result for a rectangle is exactly the same rectangle of a whole-image upsampling.
public enum BicubicUpsampling {
    /// The input rectangle that `output` needs: the source pixels under it plus the kernel's
    /// reach (1 before, 2 after), clipped to the source.
    public static func inputRect(for output: PixelRect, sourceSize: PixelSize, targetSize: PixelSize) -> PixelRect {
        let columns = taps(for: output.x..<output.maxX, source: sourceSize.width, target: targetSize.width)
        let rows = taps(for: output.y..<output.maxY, source: sourceSize.height, target: targetSize.height)
        return PixelRect(x: columns.lowerBound, y: rows.lowerBound, width: columns.count, height: rows.count)
    }

    /// Computes `output` of the target image from `input`, which holds `inputRect` of the source
    /// (at least `inputRect(for: output, …)`).
    public static func upsample(
        _ input: Raster, inputRect: PixelRect, output: PixelRect, sourceSize: PixelSize, targetSize: PixelSize
    ) -> Raster {
        precondition(inputRect.contains(Self.inputRect(for: output, sourceSize: sourceSize, targetSize: targetSize)))
        let columnWeights = (output.x..<output.maxX).map {
            kernel(at: $0, source: sourceSize.width, target: targetSize.width)
        }
        let rowWeights = (output.y..<output.maxY).map {
            kernel(at: $0, source: sourceSize.height, target: targetSize.height)
        }
        var result = Raster(width: output.width, height: output.height, layout: input.layout, bitDepth: input.bitDepth)
        // Horizontal pass into `across` (input rows × output columns), then the vertical pass.
        var across = [Float](repeating: 0, count: inputRect.height * output.width)
        for channel in 0..<input.channelCount {
            let plane = channel * input.planeSize
            for row in 0..<inputRect.height {
                for (column, weights) in columnWeights.enumerated() {
                    var sum: Float = 0
                    for (tap, weight) in zip(weights.taps, weights.weights) {
                        sum += weight * input.samples[plane + row * input.width + (tap - inputRect.x)]
                    }
                    across[row * output.width + column] = sum
                }
            }
            let outputPlane = channel * result.planeSize
            for (row, weights) in rowWeights.enumerated() {
                for column in 0..<output.width {
                    var sum: Float = 0
                    for (tap, weight) in zip(weights.taps, weights.weights) {
                        sum += weight * across[(tap - inputRect.y) * output.width + column]
                    }
                    result.samples[outputPlane + row * output.width + column] = min(max(sum, 0), 1)
                }
            }
        }
        return result
    }

    /// Reads what `output` needs from `source` and upsamples it to `targetSize`.
    public static func upsample(region output: PixelRect, of source: any ImageSource, to targetSize: PixelSize) throws
        -> Raster
    {
        let sourceSize = PixelSize(width: source.info.width, height: source.info.height)
        let needed = inputRect(for: output, sourceSize: sourceSize, targetSize: targetSize)
        let input = try source.read(region: needed)
        return upsample(input, inputRect: needed, output: output, sourceSize: sourceSize, targetSize: targetSize)
    }

    /// The four source positions (clamped to the edge) and weights for output position `x`.
    static func kernel(at x: Int, source: Int, target: Int) -> (taps: [Int], weights: [Float]) {
        let position = (Double(x) + 0.5) * Double(source) / Double(target) - 0.5
        let base = Int(position.rounded(.down))
        let t = position - Double(base)
        let weights = [keys(1 + t), keys(t), keys(1 - t), keys(2 - t)].map { Float($0) }
        let taps = (base - 1...base + 2).map { min(max($0, 0), source - 1) }
        return (taps, weights)
    }

    /// The source range the kernels of `outputs` reach.
    private static func taps(for outputs: Range<Int>, source: Int, target: Int) -> Range<Int> {
        guard let first = outputs.first, let last = outputs.last else { return 0..<0 }
        let low = kernel(at: first, source: source, target: target).taps.min()!
        let high = kernel(at: last, source: source, target: target).taps.max()!
        return low..<high + 1
    }

    /// Keys' cubic convolution kernel with a = −0.5.
    private static func keys(_ distance: Double) -> Double {
        let x = abs(distance)
        let a = -0.5
        if x <= 1 { return (a + 2) * x * x * x - (a + 3) * x * x + 1 }
        if x < 2 { return a * x * x * x - 5 * a * x * x + 8 * a * x - 4 * a }
        return 0
    }
}
