import Tensor

/// Guided style statistics at one shallow layer: one Gram matrix per cell of the deep semantic
/// space (a segmentation region × a light band, `StyleGuidance`), matched to the style's Gram
/// matrix of the same cell (Gatys et al. 2017, *Controlling Perceptual Factors in Neural Style
/// Transfer*, with the DSS as the guidance channels).
///
/// Why: the patch loss at relu3_1/relu4_1 places the painting's structures but, with the default
/// HED-tuned VGG-16, barely sees colour or fine strokes. The channel correlations of relu1_1 and
/// relu2_1 carry both, and matching them per cell makes the sky take the painted sky's colours and
/// lit surfaces the lit ones. There is no search, and the statistics are means over a cell's
/// pixels: a tile's loss is local to the tile while its targets are the whole style's.
///
/// With G_c(F) = Σ_p w_c(p) f_p f_pᵀ / M_c (w_c a pixel's weight in cell c, M_c = Σ_p w_c(p)):
///
///     L = Σ_c a_c ‖G_c(F) − T_c‖² / ‖T‖²,   a_c = M_c / Σ_c' M_c',
///     ∂L/∂f_p = Σ_c a_c · 4 w_c(p) / (M_c ‖T‖²) · (G_c(F) − T_c) f_p
///
/// where T_c is the style's Gram matrix of cell c and T the style's Gram matrix over all its pixels.
/// Dividing by ‖T‖² makes the loss a relative error, the same scale at every layer and style.
public final class GuidedGramLoss {
    /// The style's Gram matrix of each cell, region-major then band, each C×C row-major
    /// (`cellCount`·C·C floats). A cell the style barely has (`minimumMass`) takes its region's
    /// Gram matrix; a region it lacks, the whole style's.
    let targets: [Float]
    /// ‖T‖² of the whole style's Gram matrix.
    let normalisation: Double
    public let channels: Int
    let regionCount: Int
    let bands: Int
    /// Columns gathered at a time: the scratch stays a few megabytes whatever the image size.
    static let chunk = 8192
    /// A cell with less style weight than this many pixels' worth uses its region's statistics.
    static let minimumMass = 4.0

    /// Scratch, planned once: the gathered columns of one chunk (C×n), the same columns weighted
    /// by each band and stacked (B·C×n), their product with the cells' Gram differences (C×n),
    /// and the image's Gram sums per cell, which become the differences D_c scaled for the gradient.
    private var gathered: [Float]
    private var weighted: [Float]
    private var product: [Float]
    private var cells: [Float]

    /// - Parameters:
    ///   - styleFeatures: the style's features at this layer, C×Hs×Ws.
    ///   - guidance: the style's guidance at the same size.
    public init(styleFeatures: Tensor, guidance: StyleGuidance) {
        precondition(guidance.pixelCount == styleFeatures.height * styleFeatures.width, "guidance for another size")
        let c = styleFeatures.channels, cc = c * c
        channels = c
        regionCount = guidance.regions.count
        bands = guidance.bands
        gathered = [Float](repeating: 0, count: c * Self.chunk)
        weighted = [Float](repeating: 0, count: bands * c * Self.chunk)
        product = [Float](repeating: 0, count: c * Self.chunk)
        cells = [Float](repeating: 0, count: regionCount * bands * cc)
        Self.accumulateGrams(of: styleFeatures, guidance: guidance, into: &cells, gathered: &gathered,
                             weighted: &weighted)
        let masses = guidance.masses
        var global = [Double](repeating: 0, count: cc)
        var regionGrams: [[Float]?] = []
        var totalMass = 0.0
        for k in 0..<regionCount {
            let regionMass = masses[k].reduce(0, +)
            totalMass += regionMass
            var sum = [Double](repeating: 0, count: cc)
            for b in 0..<bands {
                let offset = (k * bands + b) * cc
                for i in 0..<cc { sum[i] += Double(cells[offset + i]) }
            }
            for i in 0..<cc { global[i] += sum[i] }
            regionGrams.append(regionMass >= Self.minimumMass ? sum.map { Float($0 / regionMass) } : nil)
        }
        let globalGram = global.map { Float($0 / max(totalMass, 1e-12)) }
        normalisation = max(globalGram.reduce(0.0) { $0 + Double($1) * Double($1) }, 1e-30)
        var targets = [Float](repeating: 0, count: regionCount * bands * cc)
        for k in 0..<regionCount {
            for b in 0..<bands {
                let offset = (k * bands + b) * cc, mass = masses[k][b]
                for i in 0..<cc {
                    targets[offset + i] = mass >= Self.minimumMass ? cells[offset + i] / Float(mass)
                        : (regionGrams[k]?[i] ?? globalGram[i])
                }
            }
        }
        self.targets = targets
    }

    /// The loss at the image's features, with ∂L/∂features written into `gradient` (C×H×W).
    /// - Parameter guidance: the image's guidance at this layer's size; its regions and bands
    ///   are the style's (same segmentation labels, same illumination encoding).
    public func evaluate(features: Tensor, guidance: StyleGuidance, gradient: Tensor) -> Double {
        precondition(features.channels == channels, "features have \(features.channels) channels, the style \(channels)")
        precondition(guidance.regions.count == regionCount && guidance.bands == bands,
                     "guidance cells do not match the style's")
        precondition(gradient.shape == features.shape, "gradient \(gradient.shape) for features \(features.shape)")
        let c = channels, cc = c * c
        Self.accumulateGrams(of: features, guidance: guidance, into: &cells, gathered: &gathered, weighted: &weighted)
        let masses = guidance.masses
        let total = masses.reduce(0.0) { $0 + $1.reduce(0, +) }
        gradient.fill(0)
        guard total > 0 else { return 0 }

        // Each cell's Gram difference D_c, scaled in place by the factor that turns D_c f_p w_c(p)
        // into ∂L/∂f_p.
        var loss = 0.0
        for k in 0..<regionCount {
            for b in 0..<bands {
                let offset = (k * bands + b) * cc, mass = masses[k][b]
                guard mass > 0 else {
                    for i in 0..<cc { cells[offset + i] = 0 }
                    continue
                }
                let share = mass / total, factor = Float(share * 4 / (mass * normalisation))
                var squares = 0.0
                for i in 0..<cc {
                    let d = cells[offset + i] / Float(mass) - targets[offset + i]
                    squares += Double(d) * Double(d)
                    cells[offset + i] = factor * d
                }
                loss += share * squares / normalisation
            }
        }

        let pixels = features.height * features.width
        features.withUnsafeBufferPointer { f in
            gradient.withUnsafeMutableBufferPointer { g in
                gathered.withUnsafeMutableBufferPointer { x in
                    weighted.withUnsafeMutableBufferPointer { w in
                        product.withUnsafeMutableBufferPointer { h in
                            cells.withUnsafeBufferPointer { differences in
                                for (k, region) in guidance.regions.enumerated() {
                                    region.pixels.withUnsafeBufferPointer { indices in
                                        for start in stride(from: 0, to: indices.count, by: Self.chunk) {
                                            let n = min(Self.chunk, indices.count - start)
                                            let chunk = UnsafeBufferPointer(rebasing: indices[start..<(start + n)])
                                            Self.gather(f, pixels: pixels, channels: c, indices: chunk, into: x)
                                            Self.weigh(x, channels: c, count: n, region: region, start: start,
                                                       into: w)
                                            // h = [D_k1 … D_kB] · [w_1 x; …; w_B x] = Σ_b w_b(p) D_b f_p. The
                                            // B blocks are stored stacked, (B·C)×C; each D_b is
                                            // symmetric, so the row of blocks is that stack transposed.
                                            Matrix.multiply(
                                                .transposed,
                                                UnsafeBufferPointer(rebasing: differences[(k * bands * cc)...]),
                                                lda: c, .normal, UnsafeBufferPointer(w), ldb: n, into: h,
                                                ldc: n, m: c, n: n, k: bands * c)
                                            Self.scatterAdd(h, channels: c, pixels: pixels, indices: chunk, into: g)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return loss
    }

    /// Writes Σ_p w_c(p) f_p f_pᵀ of every cell into `cells` (region-major, then band; not yet
    /// divided by the cells' masses): per chunk of a region's pixels one product of the
    /// band-weighted columns stacked (B·C×n) with the columns (n×C).
    static func accumulateGrams(of features: Tensor, guidance: StyleGuidance, into cells: inout [Float],
                                gathered: inout [Float], weighted: inout [Float]) {
        let c = features.channels, pixels = features.height * features.width, bands = guidance.bands
        for i in cells.indices { cells[i] = 0 }
        features.withUnsafeBufferPointer { f in
            gathered.withUnsafeMutableBufferPointer { x in
                weighted.withUnsafeMutableBufferPointer { w in
                    cells.withUnsafeMutableBufferPointer { grams in
                        for (k, region) in guidance.regions.enumerated() {
                            region.pixels.withUnsafeBufferPointer { indices in
                                for start in stride(from: 0, to: indices.count, by: chunk) {
                                    let n = min(chunk, indices.count - start)
                                    gather(f, pixels: pixels, channels: c,
                                           indices: UnsafeBufferPointer(rebasing: indices[start..<(start + n)]), into: x)
                                    weigh(x, channels: c, count: n, region: region, start: start, into: w)
                                    // The B stacked C×C Gram sums of region k are contiguous: (B·C)×C.
                                    Matrix.multiply(
                                        .normal, UnsafeBufferPointer(w), lda: n, .transposed, UnsafeBufferPointer(x),
                                        ldb: n, into: UnsafeMutableBufferPointer(rebasing: grams[(k * bands * c * c)...]),
                                        ldc: c, m: bands * c, n: c, k: n, beta: 1)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Copies the columns `indices` of the C×pixels map `f` into the C×n matrix `x`.
    @inline(__always)
    static func gather(_ f: UnsafeBufferPointer<Float>, pixels: Int, channels: Int, indices: UnsafeBufferPointer<Int32>,
                       into x: UnsafeMutableBufferPointer<Float>) {
        let n = indices.count
        for ch in 0..<channels {
            let source = f.baseAddress! + ch * pixels, target = x.baseAddress! + ch * n
            for j in 0..<n { target[j] = source[Int(indices[j])] }
        }
    }

    /// Stacks the B band-weighted copies of the C×n columns `x` into `w` (B·C×n).
    @inline(__always)
    static func weigh(_ x: UnsafeMutableBufferPointer<Float>, channels: Int, count n: Int,
                      region: StyleGuidance.Region, start: Int, into w: UnsafeMutableBufferPointer<Float>) {
        for (b, bandWeights) in region.bandWeights.enumerated() {
            bandWeights.withUnsafeBufferPointer { weights in
                let weight = weights.baseAddress! + start
                for ch in 0..<channels {
                    let source = x.baseAddress! + ch * n, target = w.baseAddress! + (b * channels + ch) * n
                    for j in 0..<n { target[j] = source[j] * weight[j] }
                }
            }
        }
    }

    /// Adds the C×n columns `h` into the columns `indices` of the C×pixels gradient `g`.
    @inline(__always)
    static func scatterAdd(_ h: UnsafeMutableBufferPointer<Float>, channels: Int, pixels: Int,
                           indices: UnsafeBufferPointer<Int32>, into g: UnsafeMutableBufferPointer<Float>) {
        let n = indices.count
        for ch in 0..<channels {
            let source = h.baseAddress! + ch * n, target = g.baseAddress! + ch * pixels
            for j in 0..<n { target[Int(indices[j])] += source[j] }
        }
    }
}
