/// Resizing of C×H×W tensors to any size, as separable linear maps (rows, then columns), with
/// the adjoint of each as its backward.
///
/// Convention: pixel centres at half-integers (PyTorch `align_corners=false`, PIL, OpenCV):
/// output pixel i samples the input at (i + 0.5)·in/out − 0.5, and samples past the border
/// take the border value (clamping).
public enum Resample {
    public enum Kind: String, Sendable, CaseIterable {
        /// Linear interpolation between the two nearest input pixels per axis.
        case bilinear
        /// Keys' cubic convolution with a = −0.5 (Catmull–Rom): 4 taps per axis, reproduces
        /// quadratics exactly; used to upsample a level's result to the next (DESIGN.md §1).
        case bicubic
        /// Box filter over each output pixel's exact footprint, weighted by coverage: the mean of
        /// the input area (for downsampling DSS maps to a layer's size).
        case area
    }

    /// output = resize(input); output's height and width set the target size. The whole image is
    /// one window of `Resample.Plan`, so a rectangle computed on its own is bit-identical to it.
    public static func forward(_ input: Tensor, into output: Tensor, kind: Kind, workspace: Workspace? = nil) {
        precondition(input.channels == output.channels, "Resample channels \(input.shape) → \(output.shape)")
        let plan = Plan(
            kind: kind, inputHeight: input.height, inputWidth: input.width, outputHeight: output.height,
            outputWidth: output.width)
        plan.apply(
            input, inputRows: 0..<input.height, inputColumns: 0..<input.width, outputRows: 0..<output.height,
            outputColumns: 0..<output.width, into: output, workspace: workspace)
    }

    /// inputGradient = resizeᵀ(outputGradient): the adjoint of `forward` with the same sizes.
    public static func backward(
        outputGradient: Tensor, into inputGradient: Tensor, kind: Kind, workspace: Workspace? = nil
    ) {
        precondition(inputGradient.channels == outputGradient.channels,
                     "Resample backward channels \(outputGradient.shape) → \(inputGradient.shape)")
        let rows = AxisResampler(kind: kind, from: inputGradient.height, to: outputGradient.height)
        let columns = AxisResampler(kind: kind, from: inputGradient.width, to: outputGradient.width)
        let scratch = workspace ?? Workspace()
        let width = outputGradient.width
        let middle = scratch.buffer(slot: 1, count: inputGradient.channels * inputGradient.height * width)
        let planeMid = inputGradient.height * width, planeOut = outputGradient.height * width
        for c in 0..<inputGradient.channels {
            rows.applyTransposedAlongColumns(
                outputGradient.storage + c * planeOut, width: width, into: middle + c * planeMid)
        }
        columns.applyTransposedAlongRows(
            middle, rows: inputGradient.channels * inputGradient.height, into: inputGradient.storage)
    }

    public static func bilinear(_ input: Tensor, into output: Tensor, workspace: Workspace? = nil) {
        forward(input, into: output, kind: .bilinear, workspace: workspace)
    }

    public static func bicubic(_ input: Tensor, into output: Tensor, workspace: Workspace? = nil) {
        forward(input, into: output, kind: .bicubic, workspace: workspace)
    }

    public static func area(_ input: Tensor, into output: Tensor, workspace: Workspace? = nil) {
        forward(input, into: output, kind: .area, workspace: workspace)
    }
}

/// The 1-D resampling matrix of one axis, stored sparsely: every output index has `taps`
/// (input index, weight) pairs, zero-weight padded where it needs fewer.
struct AxisResampler {
    let inputSize: Int
    let outputSize: Int
    let taps: Int
    let indices: [Int]
    let weights: [Float]

    init(kind: Resample.Kind, from inputSize: Int, to outputSize: Int) {
        precondition(inputSize > 0 && outputSize > 0, "resample \(inputSize) → \(outputSize)")
        self.inputSize = inputSize
        self.outputSize = outputSize
        let scale = Double(inputSize) / Double(outputSize)
        var rows: [[(Int, Double)]] = []
        rows.reserveCapacity(outputSize)
        for i in 0..<outputSize {
            let centre = (Double(i) + 0.5) * scale - 0.5
            switch kind {
            case .bilinear:
                let left = Int(centre.rounded(.down))
                let t = centre - Double(left)
                rows.append([(left, 1 - t), (left + 1, t)])
            case .bicubic:
                let left = Int(centre.rounded(.down))
                let t = centre - Double(left)
                rows.append((-1...2).map { offset in (left + offset, AxisResampler.keys(Double(offset) - t)) })
            case .area:
                let start = Double(i) * scale, end = Double(i + 1) * scale
                var row: [(Int, Double)] = []
                var j = Int(start.rounded(.down))
                while Double(j) < end && j < inputSize {
                    let covered = min(end, Double(j + 1)) - max(start, Double(j))
                    if covered > 1e-12 { row.append((j, covered / scale)) }
                    j += 1
                }
                rows.append(row)
            }
        }
        // Clamp to the border, merging taps that land on the same pixel.
        let clamped = rows.map { row -> [(Int, Double)] in
            var merged: [(Int, Double)] = []
            for (index, weight) in row {
                let c = min(max(index, 0), inputSize - 1)
                if let k = merged.firstIndex(where: { $0.0 == c }) { merged[k].1 += weight } else { merged.append((c, weight)) }
            }
            return merged
        }
        let taps = clamped.map(\.count).max() ?? 1
        self.taps = taps
        var indices: [Int] = []
        var weights: [Float] = []
        for row in clamped {
            for k in 0..<taps {
                indices.append(k < row.count ? row[k].0 : row[0].0)
                weights.append(k < row.count ? Float(row[k].1) : 0)
            }
        }
        self.indices = indices
        self.weights = weights
    }

    /// Keys' cubic convolution kernel with a = −0.5.
    static func keys(_ x: Double) -> Double {
        let a = -0.5, s = abs(x)
        if s <= 1 { return ((a + 2) * s - (a + 3)) * s * s + 1 }
        if s < 2 { return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a }
        return 0
    }

    /// Lends the tap tables to a parallel loop.
    private func withTables(_ body: (IndexPointer, SharedConstPointer) -> Void) {
        indices.withUnsafeBufferPointer { idx in
            weights.withUnsafeBufferPointer { wts in
                body(IndexPointer(idx.baseAddress!), SharedConstPointer(wts.baseAddress!))
            }
        }
    }

    /// Resamples each of `rows` contiguous rows into rows of the outputs in `outputs`. A source row
    /// holds `inputStride` input samples starting at input index `inputOffset` (the whole row is
    /// stride inputSize, offset 0); every tap of `outputs` must lie in that window.
    func applyAlongRows(
        _ source: UnsafeMutablePointer<Float>, rows: Int, into target: UnsafeMutablePointer<Float>,
        inputStride: Int? = nil, inputOffset: Int = 0, outputs: Range<Int>? = nil
    ) {
        let src = SharedPointer(source), dst = SharedPointer(target)
        let outputs = outputs ?? 0..<outputSize
        let (taps, stride, count) = (self.taps, inputStride ?? inputSize, outputs.count)
        withTables { idx, wts in
            Engine.parallelChunks(rows, minimumChunk: 16) { range in
                for r in range {
                    let input = src.base + r * stride - inputOffset, output = dst.base + r * count
                    for (k, o) in outputs.enumerated() {
                        var sum: Float = 0
                        for t in 0..<taps { sum += wts.base[o * taps + t] * input[idx.base[o * taps + t]] }
                        output[k] = sum
                    }
                }
            }
        }
    }

    /// The adjoint of `applyAlongRows`: scatters each output row back onto an input row.
    func applyTransposedAlongRows(
        _ source: UnsafeMutablePointer<Float>, rows: Int, into target: UnsafeMutablePointer<Float>
    ) {
        let src = SharedPointer(source), dst = SharedPointer(target)
        let (taps, inSize, outSize) = (self.taps, inputSize, outputSize)
        withTables { idx, wts in
            Engine.parallelChunks(rows, minimumChunk: 16) { range in
                for r in range {
                    let output = src.base + r * outSize, input = dst.base + r * inSize
                    input.update(repeating: 0, count: inSize)
                    for o in 0..<outSize {
                        let g = output[o]
                        for t in 0..<taps { input[idx.base[o * taps + t]] += wts.base[o * taps + t] * g }
                    }
                }
            }
        }
    }

    /// Resamples the columns of a plane of input rows (`width` wide, its first row being input row
    /// `inputOffset`) into the output rows `outputs` (whole plane: offset 0, all outputs).
    func applyAlongColumns(
        _ source: UnsafeMutablePointer<Float>, width: Int, into target: UnsafeMutablePointer<Float>,
        inputOffset: Int = 0, outputs: Range<Int>? = nil
    ) {
        for (k, o) in (outputs ?? 0..<outputSize).enumerated() {
            let output = target + k * width
            output.update(repeating: 0, count: width)
            for t in 0..<taps {
                let w = weights[o * taps + t]
                if w == 0 { continue }
                let input = source + (indices[o * taps + t] - inputOffset) * width
                for x in 0..<width { output[x] += w * input[x] }
            }
        }
    }

    /// The input indices that the taps of `outputs` read (zero-weight padding included).
    func inputRange(for outputs: Range<Int>) -> Range<Int> {
        guard !outputs.isEmpty else { return 0..<0 }
        let reached = indices[outputs.lowerBound * taps..<outputs.upperBound * taps]
        return reached.min()!..<reached.max()! + 1
    }

    /// The adjoint of `applyAlongColumns`.
    func applyTransposedAlongColumns(
        _ source: UnsafeMutablePointer<Float>, width: Int, into target: UnsafeMutablePointer<Float>
    ) {
        target.update(repeating: 0, count: inputSize * width)
        for o in 0..<outputSize {
            let output = source + o * width
            for t in 0..<taps {
                let w = weights[o * taps + t]
                if w == 0 { continue }
                let input = target + indices[o * taps + t] * width
                for x in 0..<width { input[x] += w * output[x] }
            }
        }
    }
}

struct SharedConstPointer: @unchecked Sendable {
    let base: UnsafePointer<Float>
    init(_ base: UnsafePointer<Float>) { self.base = base }
}

struct IndexPointer: @unchecked Sendable {
    let base: UnsafePointer<Int>
    init(_ base: UnsafePointer<Int>) { self.base = base }
}
