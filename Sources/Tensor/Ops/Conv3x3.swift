import Synchronization

/// A 3×3 convolution with padding 1 and stride 1, plus bias: the only kind VGG uses.
///
/// Forward lowers the convolution to SGEMM through im2col in bounded row bands: the column
/// matrix of a band of rows (Cin·9 × rows·W) is built in a workspace and multiplied by the
/// Cout × Cin·9 weight matrix, writing straight into the output's rows (the output's channel
/// stride is the GEMM's ldc). The band height is chosen so that the column matrix stays under
/// `bandBudget` floats, which bounds scratch memory at any image size (a full im2col of 512² ×
/// 64 channels would be 600 MB).
///
/// Backward to the input is itself a 3×3 convolution of the output gradient, with the kernel
/// flipped and input/output channels swapped (DESIGN.md §5), so it reuses the same well-shaped
/// GEMMs instead of a small-K GEMM followed by col2im.
///
/// Only the Cout × (Cin·9) weight matrix is made up front. The per-tap copy (for the shifted
/// lowering) and the transposed convolution (for backward) are each a full copy of the weights,
/// 59 MB apiece for VGG-16, so each is made on first use: a network that only runs forward (a
/// coordinator's segmentation features) holds one copy, not four.
public final class Conv3x3: @unchecked Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    /// Weights as a Cout × (Cin·9) row-major matrix (OIHW flattened), for im2col.
    let weight: Tensor
    /// One bias per output channel, or nil for the bias-free transposed convolution.
    let bias: Tensor?
    /// Whether `backward` is allowed (false for the transposed convolution itself).
    private let hasTranspose: Bool
    /// The derived weights, made on first use (under the lock: several threads may share a layer).
    private let derived = Mutex<Derived>(Derived())

    private struct Derived: @unchecked Sendable {
        /// The weights as nine Cout × Cin matrices, one per tap (ky·3 + kx), for shifted GEMMs.
        var tapWeights: Tensor?
        /// The flipped, channel-swapped convolution that computes the input gradient.
        var transposed: Conv3x3?
    }

    /// How a convolution is lowered to SGEMM. im2col and shifted are exact; Winograd trades some
    /// rounding for fewer multiplications. `atelier bench engine` measures them side by side.
    public enum Lowering: String, Sendable, CaseIterable {
        /// One GEMM per band with K = Cin·9 over an im2col matrix.
        case im2col
        /// Nine accumulating GEMMs per band with K = Cin, each reading the zero-padded input at
        /// the tap's offset: no im2col copy, at the price of nine passes over the output band.
        case shifted
        /// Winograd F(2×2, 3×3): 16 GEMMs per band with K = Cin over transformed 4×4 tiles,
        /// 2.25× fewer multiplications (`Winograd`).
        case winograd
        /// Winograd F(4×4, 3×3): 36 GEMMs over transformed 6×6 tiles, 4× fewer multiplications.
        case winograd4
    }

    /// The lowering used by `forward` and `backward` for the whole process, or nil (the default)
    /// for each layer's own choice, `Conv3x3.preferredLowering`.
    nonisolated(unsafe) public static var lowering: Lowering? = nil

    /// Upper bound, in floats, of the im2col band built per GEMM. 4 Mi floats (16 MiB) keeps the
    /// GEMM's N dimension large enough for OpenBLAS to run near its peak on every VGG layer
    /// (measured with `atelier bench engine`).
    nonisolated(unsafe) public static var bandBudget = 4 << 20

    /// - Parameters:
    ///   - weight: Cout·Cin·9 values in OIHW order (output channel, input channel, ky, kx).
    ///   - bias: Cout values.
    public convenience init(outputChannels: Int, inputChannels: Int, weight: [Float], bias: [Float]) {
        precondition(weight.count == outputChannels * inputChannels * 9,
                     "Conv3x3 weight has \(weight.count) values, expected \(outputChannels)×\(inputChannels)×3×3")
        precondition(bias.count == outputChannels, "Conv3x3 bias has \(bias.count) values, expected \(outputChannels)")
        self.init(
            outputChannels: outputChannels, inputChannels: inputChannels,
            weight: Tensor(Shape(channels: 1, height: outputChannels, width: inputChannels * 9), values: weight),
            bias: Tensor(Shape(channels: 1, height: 1, width: outputChannels), values: bias),
            withTranspose: true)
    }

    private init(outputChannels: Int, inputChannels: Int, weight: Tensor, bias: Tensor?, withTranspose: Bool) {
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.weight = weight
        self.bias = bias
        hasTranspose = withTranspose
    }

    /// The weights as nine Cout × Cin matrices, one per tap.
    private var tapWeights: Tensor {
        derived.withLock { derived in
            if let taps = derived.tapWeights { return taps }
            let taps = Tensor(Shape(channels: 9, height: outputChannels, width: inputChannels))
            for co in 0..<outputChannels {
                for ci in 0..<inputChannels {
                    for tap in 0..<9 {
                        taps.storage[(tap * outputChannels + co) * inputChannels + ci] =
                            weight.storage[(co * inputChannels + ci) * 9 + tap]
                    }
                }
            }
            derived.tapWeights = taps
            return taps
        }
    }

    /// The convolution whose forward is this one's backward to the input.
    private var transposed: Conv3x3 {
        precondition(hasTranspose, "backward of a transposed Conv3x3")
        return derived.withLock { derived in
            if let transposed = derived.transposed { return transposed }
            let transposed = Conv3x3(
                outputChannels: inputChannels, inputChannels: outputChannels,
                weight: Conv3x3.flippedWeight(weight, outputChannels: outputChannels, inputChannels: inputChannels),
                bias: nil, withTranspose: false)
            derived.transposed = transposed
            return transposed
        }
    }

    /// W'[ci][co][2-ky][2-kx] = W[co][ci][ky][kx]: the kernel of the input-gradient convolution.
    private static func flippedWeight(_ weight: Tensor, outputChannels: Int, inputChannels: Int) -> Tensor {
        let flipped = Tensor(Shape(channels: 1, height: inputChannels, width: outputChannels * 9))
        for co in 0..<outputChannels {
            for ci in 0..<inputChannels {
                for tap in 0..<9 {
                    flipped.storage[(ci * outputChannels + co) * 9 + (8 - tap)] =
                        weight.storage[(co * inputChannels + ci) * 9 + tap]
                }
            }
        }
        return flipped
    }

    /// Multiply-adds of one forward (or backward) pass at `height`×`width`, times two: the FLOP
    /// count that throughput figures are based on.
    public func flops(height: Int, width: Int) -> Double {
        2 * Double(outputChannels) * Double(inputChannels) * 9 * Double(height) * Double(width)
    }

    /// output = conv3x3(input) + bias. Shapes: input Cin×H×W, output Cout×H×W.
    public func forward(_ input: Tensor, into output: Tensor, workspace: Workspace) {
        precondition(input.channels == inputChannels, "Conv3x3 expects \(inputChannels) channels, got \(input.shape)")
        precondition(output.shape == Shape(channels: outputChannels, height: input.height, width: input.width),
                     "Conv3x3 output must be \(outputChannels)×\(input.height)×\(input.width), is \(output.shape)")
        switch Conv3x3.lowering ?? preferredLowering(height: input.height, width: input.width) {
        case .im2col:
            forwardIm2Col(input, into: output, workspace: workspace)
        case .shifted:
            forwardShifted(input, into: output, workspace: workspace)
            if let bias { addBias(bias, to: output) }
        case .winograd:
            Winograd.convolve(
                WinogradF2.self, input, weight: weight, direction: .forward,
                bias: bias, into: output, workspace: workspace, budget: Conv3x3.bandBudget)
        case .winograd4:
            Winograd.convolve(
                WinogradF4.self, input, weight: weight, direction: .forward,
                bias: bias, into: output, workspace: workspace, budget: Conv3x3.bandBudget)
        }
    }

    /// Forward by one GEMM per band of rows over its im2col matrix.
    private func forwardIm2Col(_ input: Tensor, into output: Tensor, workspace: Workspace) {
        let height = input.height, width = input.width
        let k = inputChannels * 9
        let bandRows = max(1, min(height, Conv3x3.bandBudget / max(k * width, 1)))
        let column = workspace.buffer(slot: 0, count: k * bandRows * width)
        var y0 = 0
        while y0 < height {
            let rows = min(bandRows, height - y0)
            Im2Col.band(input, firstRow: y0, rows: rows, into: column)
            Matrix.gemm(
                .normal, .normal, m: outputChannels, n: rows * width, k: k,
                a: weight.storage, lda: k, b: column, ldb: rows * width,
                c: output.storage + y0 * width, ldc: height * width)
            y0 += rows
        }
        if let bias { addBias(bias, to: output) }
    }

    /// inputGradient = ∂L/∂input given outputGradient = ∂L/∂output. Shapes as in `forward`.
    /// Winograd runs the flipped, channel-swapped kernels straight from `weight`, so a layer whose
    /// backward is Winograd never makes the transposed convolution's copy of the weights.
    public func backward(outputGradient: Tensor, into inputGradient: Tensor, workspace: Workspace) {
        precondition(hasTranspose, "backward of a transposed Conv3x3")
        let height = outputGradient.height, width = outputGradient.width
        switch Conv3x3.lowering ?? preferredBackwardLowering(height: height, width: width) {
        case .im2col, .shifted:
            transposed.forward(outputGradient, into: inputGradient, workspace: workspace)
        case .winograd:
            Winograd.convolve(
                WinogradF2.self, outputGradient, weight: weight,
                direction: .backward, bias: nil, into: inputGradient, workspace: workspace, budget: Conv3x3.bandBudget)
        case .winograd4:
            Winograd.convolve(
                WinogradF4.self, outputGradient, weight: weight,
                direction: .backward, bias: nil, into: inputGradient, workspace: workspace, budget: Conv3x3.bandBudget)
        }
    }

    /// Forward by nine shifted GEMMs per band of rows. The band's input rows (with one row of
    /// context above and below) are copied into a zero-padded Cin × (rows+2) × (W+2) buffer; on
    /// that grid, tap (ky, kx) of output pixel (r, x) is input element (r + ky, x + kx), so with
    /// the output computed on the padded width (W+2, two junk columns per row) every tap's
    /// operand is the same matrix shifted by ky·(W+2) + kx: a plain GEMM with ldb = plane size.
    private func forwardShifted(_ input: Tensor, into output: Tensor, workspace: Workspace) {
        let height = input.height, width = input.width, paddedWidth = width + 2
        let tapWeights = self.tapWeights
        let perRow = (inputChannels + outputChannels) * paddedWidth
        let bandRows = max(1, min(height, (Conv3x3.bandBudget - 2 * inputChannels * paddedWidth) / max(perRow, 1)))
        let padded = workspace.buffer(slot: 0, count: inputChannels * (bandRows + 2) * paddedWidth + 2)
        let accumulator = workspace.buffer(slot: 2, count: outputChannels * bandRows * paddedWidth)
        var y0 = 0
        while y0 < height {
            let rows = min(bandRows, height - y0)
            let paddedPlane = (rows + 2) * paddedWidth
            // +2 floats of slack: the last tap reads two junk columns past the final row.
            padBand(input, firstRow: y0, rows: rows, into: padded, plane: paddedPlane)
            let n = rows * paddedWidth
            for tap in 0..<9 {
                let (ky, kx) = (tap / 3, tap % 3)
                Matrix.gemm(
                    .normal, .normal, m: outputChannels, n: n, k: inputChannels,
                    a: tapWeights.storage + tap * outputChannels * inputChannels, lda: inputChannels,
                    b: padded + ky * paddedWidth + kx, ldb: paddedPlane,
                    beta: tap == 0 ? 0 : 1, c: accumulator, ldc: n)
            }
            // Drop the junk columns while copying the band into the output.
            let source = SharedPointer(accumulator), target = SharedPointer(output.storage), first = y0
            Engine.parallelChunks(outputChannels) { channels in
                for c in channels {
                    for r in 0..<rows {
                        (target.base + (c * height + first + r) * width)
                            .update(from: source.base + (c * rows + r) * paddedWidth, count: width)
                    }
                }
            }
            y0 += rows
        }
    }

    /// Copies input rows firstRow−1 … firstRow+rows (zero outside the image) into a zero-bordered
    /// Cin × (rows+2) × (W+2) buffer whose channel planes are `plane` floats apart.
    private func padBand(_ input: Tensor, firstRow: Int, rows: Int, into padded: UnsafeMutablePointer<Float>, plane: Int) {
        let height = input.height, width = input.width, paddedWidth = width + 2
        let source = SharedPointer(input.storage), target = SharedPointer(padded)
        Engine.parallelChunks(inputChannels) { channels in
            for c in channels {
                let dst = target.base + c * plane
                for r in 0..<(rows + 2) {
                    let row = dst + r * paddedWidth
                    let sy = firstRow + r - 1
                    row[0] = 0
                    row[paddedWidth - 1] = 0
                    if sy >= 0 && sy < height {
                        (row + 1).update(from: source.base + (c * height + sy) * width, count: width)
                    } else {
                        (row + 1).update(repeating: 0, count: width)
                    }
                }
            }
        }
        (padded + inputChannels * plane).update(repeating: 0, count: 2)
    }

    private func addBias(_ bias: Tensor, to output: Tensor) {
        let plane = output.height * output.width
        let out = SharedPointer(output.storage)
        let b = SharedPointer(bias.storage)
        Engine.parallelChunks(outputChannels) { channels in
            for c in channels {
                let value = b.base[c]
                let row = out.base + c * plane
                for i in 0..<plane { row[i] += value }
            }
        }
    }
}

/// The im2col lowering of a 3×3, padding-1 convolution, one band of output rows at a time.
enum Im2Col {
    /// Fills `column` (Cin·9 rows × rows·W columns, row-major) for output rows
    /// `firstRow..<firstRow+rows`: row (ci·9 + ky·3 + kx), column (r·W + x) holds
    /// input[ci][firstRow + r + ky − 1][x + kx − 1], or 0 outside the image.
    static func band(_ input: Tensor, firstRow: Int, rows: Int, into column: UnsafeMutablePointer<Float>) {
        let height = input.height, width = input.width
        let n = rows * width
        let source = SharedPointer(input.storage)
        let target = SharedPointer(column)
        Engine.parallelChunks(input.channels) { channels in
            for ci in channels {
                let plane = source.base + ci * height * width
                for ky in 0..<3 {
                    for kx in 0..<3 {
                        let matrixRow = target.base + (ci * 9 + ky * 3 + kx) * n
                        for r in 0..<rows {
                            let dst = matrixRow + r * width
                            let sy = firstRow + r + ky - 1
                            guard sy >= 0 && sy < height else {
                                dst.update(repeating: 0, count: width)
                                continue
                            }
                            let src = plane + sy * width
                            switch kx {
                            case 0:
                                dst[0] = 0
                                if width > 1 { (dst + 1).update(from: src, count: width - 1) }
                            case 1:
                                dst.update(from: src, count: width)
                            default:
                                if width > 1 { dst.update(from: src + 1, count: width - 1) }
                                dst[width - 1] = 0
                            }
                        }
                    }
                }
            }
        }
    }
}
