import Dispatch
import Tensor

/// The deep semantic loss of one style layer (Yu et al. 2022, DESIGN.md §1).
///
/// Every 3×3 patch of the image's features, augmented with its deep-semantic-space channels,
/// is matched to the style patch with the highest score cos(features) + Σᵢ wᵢ · cos(DSS groupᵢ)
/// (the groups being the segmentation and the illumination channels); the loss
/// is the squared distance between the feature part of each patch and that of its match,
/// averaged over the P patches and the D = C·9 elements of a patch:
///
///     L = 1/(P·D) Σ_p ‖x_p − s_m(p)‖²,   ∂L/∂x_p = 2/(P·D) (x_p − s_m(p))
///
/// The average (rather than the sum) makes its weight comparable with the content loss's,
/// which is a mean squared difference too, at any image size and layer width.
/// The matches are held fixed when differentiating (as in CNNMRF), and DSS channels carry no
/// gradient: they say where things are, they are not painted.
public final class DeepSemanticLoss {
    /// The style's patches and their search, shared with every other objective of the level.
    public let bank: StylePatchBank
    /// The weight wᵢ of each DSS group in the matching score; none matches on features alone (CNNMRF).
    public let semanticWeights: [Float]
    /// Seeds the searches: the n-th search of this loss draws from `seed` and n.
    public let seed: UInt64
    private var searches: UInt64 = 0

    // The query keys, planned for one image feature shape and reused on every evaluation. The
    // image's patch matrix and its gradient are never made: the loss reads both patches from their
    // maps, and the gradient is added onto the map where each patch's term is made.
    private var plannedShape: Shape?
    private var keys = Tensor(Shape(channels: 1, height: 0, width: 0))
    /// The image's patches on their grid, labelled like the bank's (from the segmentation group).
    public private(set) var grid = PatchGrid(rows: 0, columns: 0)
    /// The previous level's field, carried onto this level's grid at the first search.
    private var coarserField: (matches: [Int32], grid: PatchGrid, bank: PatchGrid)?
    /// The style patch matched to each image patch in the last evaluation, and its score.
    public private(set) var matches: [Int32] = []
    public private(set) var scores: [Float] = []
    /// Wall-clock seconds spent in the nearest-neighbour search so far (for the time split).
    public private(set) var searchSeconds = 0.0

    /// - Parameters:
    ///   - bank: the style's patch bank at this layer.
    ///   - semanticWeights: wᵢ in the score, one per DSS group of the bank.
    ///   - seed: seeds the searches (see `NearestPatchSearch.search`).
    public init(bank: StylePatchBank, semanticWeights: [Float], seed: UInt64 = 0) {
        precondition(bank.semanticChannels.count == semanticWeights.count, "one weight per DSS group")
        self.bank = bank
        self.semanticWeights = semanticWeights
        self.seed = seed
    }

    /// A loss with its own bank, built from the style's features and DSS groups at this layer
    /// (see `StylePatchBank.init`).
    public convenience init(
        styleFeatures: Tensor, styleSemantics: [Tensor], semanticWeights: [Float],
        makeSearch: (Tensor, PatchGrid) -> NearestPatchSearch = { keys, _ in ExactPatchSearch(bank: keys) }
    ) {
        self.init(bank: StylePatchBank(styleFeatures: styleFeatures, styleSemantics: styleSemantics,
                                       makeSearch: makeSearch),
                  semanticWeights: semanticWeights)
    }

    /// Starts this loss's first search from the field of the same layer's loss one level down
    /// (`PatchGrid.carry`): the approximate search then only refines it. The exact search
    /// ignores it.
    public func continueField(from coarser: DeepSemanticLoss) {
        guard !coarser.matches.isEmpty, coarser.matches.count == coarser.grid.count else { return }
        coarserField = (coarser.matches, coarser.grid, coarser.bank.grid)
    }

    /// Plans the buffers for one feature shape, and the grid of the image's patches, labelled
    /// from `semantics` (the objective's fixed DSS groups) when the bank has a segmentation group.
    private func plan(for features: Shape, semantics: [Tensor]) {
        guard plannedShape != features else { return }
        plannedShape = features
        grid = PatchGrid(map: features, segmentation: bank.segmentationGroup.map { semantics[$0] })
        keys = Tensor(Shape(channels: 1, height: grid.count, width: bank.keys.width))
    }

    /// The loss at the image's features, with ∂L/∂features written into `gradient` (C×H×W).
    ///
    /// - Parameters:
    ///   - features: the image's features at this layer, C×H×W with H, W ≥ 3.
    ///   - semantics: the image's DSS groups at this layer's size (the content's), as in `init`.
    ///   - searching: false keeps the matches of the previous evaluation (same shape), so that the
    ///     loss is a smooth function of the features (for a line search); true searches anew.
    public func evaluate(features: Tensor, semantics: [Tensor], gradient: Tensor, searching: Bool = true) -> Double {
        precondition(features.channels == bank.features.channels,
                     "features have \(features.channels) channels, the style \(bank.features.channels)")
        precondition(semantics.map(\.channels) == bank.semanticChannels,
                     "image DSS has \(semantics.map(\.channels)) channels, the style's \(bank.semanticChannels)")
        precondition(gradient.shape == features.shape, "gradient \(gradient.shape) for features \(features.shape)")
        precondition(features.height >= 3 && features.width >= 3, "features \(features.shape) smaller than a patch")
        plan(for: features.shape, semantics: semantics)
        if searching || matches.count != grid.count {
            PatchKeys.build(maps: [features] + semantics, weights: semanticWeights, into: keys)
            let start = DispatchTime.now().uptimeNanoseconds
            if matches.count != grid.count, let coarser = coarserField {
                matches = PatchGrid.carry(coarser.matches, from: (coarser.grid, coarser.bank), to: (grid, bank.grid))
            }
            coarserField = nil
            searches += 1
            bank.search.search(queries: keys, grid: grid, seed: seed ^ (searches &* 0xD6E8_FEB8_6659_FD93),
                               matches: &matches, scores: &scores)
            searchSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let loss = matchedDistance(features)
        addMatchedGradient(features, into: gradient)
        return loss / (Double(grid.count) * Double(features.channels * 9))
    }

    /// Σ_p ‖x_p − s_m(p)‖², each patch's sum in Float over its elements in `Patches`' order
    /// (c·9 + ky·3 + kx), the patches' sums added in Double in patch order.
    private func matchedDistance(_ features: Tensor) -> Double {
        let (channels, height, width) = (features.channels, features.height, features.width)
        let (styleHeight, styleWidth) = (bank.features.height, bank.features.width)
        var loss = 0.0
        features.withUnsafeBufferPointer { x in
            bank.features.withUnsafeBufferPointer { s in
                for p in 0..<grid.count {
                    let (y, column) = p.quotientAndRemainder(dividingBy: width - 2)
                    let (my, mx) = Int(matches[p]).quotientAndRemainder(dividingBy: styleWidth - 2)
                    var sum: Float = 0
                    for c in 0..<channels {
                        let xc = x.baseAddress! + (c * height + y) * width + column
                        let sc = s.baseAddress! + (c * styleHeight + my) * styleWidth + mx
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let d = xc[ky * width + kx] - sc[ky * styleWidth + kx]
                                sum += d * d
                            }
                        }
                    }
                    loss += Double(sum)
                }
            }
        }
        return loss
    }

    /// gradient = Σ_p (patch p's pixels) += 2/(P·D) (x_p − s_m(p)): `Patches.backward` of the
    /// patches' gradients, in its order (per channel, patches in order, then ky, kx), with each
    /// term made where it is added.
    private func addMatchedGradient(_ features: Tensor, into gradient: Tensor) {
        let (height, width) = (features.height, features.width)
        let (styleHeight, styleWidth) = (bank.features.height, bank.features.width)
        let columns = width - 2, count = grid.count
        let scale = 2 / (Float(count) * Float(features.channels * 9))
        features.withUnsafeBufferPointer { x in
        bank.features.withUnsafeBufferPointer { s in
        gradient.withUnsafeMutableBufferPointer { g in
        matches.withUnsafeBufferPointer { matches in
            let lent = Operands(x: x.baseAddress!, s: s.baseAddress!, g: g.baseAddress!, matches: matches.baseAddress!)
            // Per channel, as `Patches.backward`: a channel's pixels receive from that channel alone.
            Engine.parallelFor(features.channels) { c in
                let plane = lent.g + c * height * width
                plane.update(repeating: 0, count: height * width)
                let xPlane = lent.x + c * height * width, sPlane = lent.s + c * styleHeight * styleWidth
                for p in 0..<count {
                    let (y, column) = p.quotientAndRemainder(dividingBy: columns)
                    let (my, mx) = Int(lent.matches[p]).quotientAndRemainder(dividingBy: styleWidth - 2)
                    let xc = xPlane + y * width + column, sc = sPlane + my * styleWidth + mx
                    let corner = plane + y * width + column
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            let d = xc[ky * width + kx] - sc[ky * styleWidth + kx]
                            let term = scale * d
                            corner[ky * width + kx] += term
                        }
                    }
                }
            }
        }}}}
    }
}

/// The maps and matches lent to the engine's threads: each writes only its own channels of `g`.
private struct Operands: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let s: UnsafePointer<Float>
    let g: UnsafeMutablePointer<Float>
    let matches: UnsafePointer<Int32>
}
