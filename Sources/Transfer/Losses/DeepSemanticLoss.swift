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
    /// The style's raw feature patches, 1 × N × (C·9): the targets of the matched patches.
    public let styleFeaturePatches: Tensor
    /// The style's search keys, 1 × N × (C·9 + Σ Kᵢ·9).
    public let styleKeys: Tensor
    /// The weight wᵢ of each DSS group in the matching score; none matches on features alone (CNNMRF).
    public let semanticWeights: [Float]
    public let search: NearestPatchSearch
    private let semanticChannels: [Int]

    // Buffers planned for one image feature shape, reused on every evaluation.
    private var plannedShape: Shape?
    private var featurePatches = Tensor(Shape(channels: 1, height: 0, width: 0))
    private var semanticPatches: [Tensor] = []
    private var keys = Tensor(Shape(channels: 1, height: 0, width: 0))
    private var patchGradient = Tensor(Shape(channels: 1, height: 0, width: 0))
    /// The style patch matched to each image patch in the last evaluation, and its score.
    public private(set) var matches: [Int32] = []
    public private(set) var scores: [Float] = []
    /// Wall-clock seconds spent in the nearest-neighbour search so far (for the time split).
    public private(set) var searchSeconds = 0.0

    /// - Parameters:
    ///   - styleFeatures: the style's features at this layer, C×H×W (H, W ≥ 3).
    ///   - styleSemantics: the style's DSS groups at this layer's size, each Kᵢ×H×W (e.g.
    ///     segmentation, illumination); empty for none.
    ///   - semanticWeights: wᵢ in the score, one per group.
    ///   - makeSearch: builds the nearest-neighbour search over the style keys (exact by default).
    public init(
        styleFeatures: Tensor, styleSemantics: [Tensor], semanticWeights: [Float],
        makeSearch: (Tensor) -> NearestPatchSearch = { ExactPatchSearch(bank: $0) }
    ) {
        precondition(styleFeatures.height >= 3 && styleFeatures.width >= 3,
                     "style features \(styleFeatures.shape) are smaller than one 3×3 patch")
        precondition(styleSemantics.count == semanticWeights.count, "one weight per DSS group")
        for semantics in styleSemantics {
            precondition(semantics.height == styleFeatures.height && semantics.width == styleFeatures.width,
                         "style DSS \(semantics.shape) does not match style features \(styleFeatures.shape)")
        }
        semanticChannels = styleSemantics.map(\.channels)
        self.semanticWeights = semanticWeights
        styleFeaturePatches = Tensor(Patches.shape(for: styleFeatures.shape))
        Patches.extract(styleFeatures, into: styleFeaturePatches)
        let styleSemanticPatches = styleSemantics.map { semantics -> Tensor in
            let patches = Tensor(Patches.shape(for: semantics.shape))
            Patches.extract(semantics, into: patches)
            return patches
        }
        styleKeys = Tensor(Shape(channels: 1, height: styleFeaturePatches.height,
                                 width: styleFeaturePatches.width + styleSemanticPatches.reduce(0) { $0 + $1.width }))
        // The weights sit on the query side only, so that the style keys serve any weights.
        PatchKeys.build(featurePatches: styleFeaturePatches, semanticPatches: styleSemanticPatches,
                        weights: semanticWeights.map { _ in 1 }, into: styleKeys)
        search = makeSearch(styleKeys)
    }

    private func plan(for features: Shape) {
        guard plannedShape != features else { return }
        plannedShape = features
        featurePatches = Tensor(Patches.shape(for: features))
        semanticPatches = semanticChannels.map { channels in
            Tensor(Patches.shape(for: Shape(channels: channels, height: features.height, width: features.width)))
        }
        keys = Tensor(Shape(channels: 1, height: featurePatches.height, width: styleKeys.width))
        patchGradient = Tensor(featurePatches.shape)
    }

    /// The loss at the image's features, with ∂L/∂features written into `gradient` (C×H×W).
    ///
    /// - Parameters:
    ///   - features: the image's features at this layer, C×H×W with H, W ≥ 3.
    ///   - semantics: the image's DSS groups at this layer's size (the content's), as in `init`.
    ///   - searching: false keeps the matches of the previous evaluation (same shape), so that the
    ///     loss is a smooth function of the features (for a line search); true searches anew.
    public func evaluate(features: Tensor, semantics: [Tensor], gradient: Tensor, searching: Bool = true) -> Double {
        precondition(features.channels * 9 == styleFeaturePatches.width,
                     "features have \(features.channels) channels, the style \(styleFeaturePatches.width / 9)")
        precondition(semantics.map(\.channels) == semanticChannels,
                     "image DSS has \(semantics.map(\.channels)) channels, the style's \(semanticChannels)")
        precondition(gradient.shape == features.shape, "gradient \(gradient.shape) for features \(features.shape)")
        precondition(features.height >= 3 && features.width >= 3, "features \(features.shape) smaller than a patch")
        plan(for: features.shape)
        Patches.extract(features, into: featurePatches)
        if searching || matches.count != featurePatches.height {
            for (map, patches) in zip(semantics, semanticPatches) { Patches.extract(map, into: patches) }
            PatchKeys.build(featurePatches: featurePatches, semanticPatches: semanticPatches,
                            weights: semanticWeights, into: keys)
            let start = DispatchTime.now().uptimeNanoseconds
            let grid = PatchGrid(rows: features.height - 2, columns: features.width - 2)
            search.search(queries: keys, grid: grid, matches: &matches, scores: &scores)
            searchSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }

        let count = featurePatches.height, length = featurePatches.width
        let scale = 2 / (Float(count) * Float(length))
        var loss = 0.0
        featurePatches.withUnsafeBufferPointer { x in
            styleFeaturePatches.withUnsafeBufferPointer { s in
                patchGradient.withUnsafeMutableBufferPointer { g in
                    for p in 0..<count {
                        let xp = x.baseAddress! + p * length
                        let sp = s.baseAddress! + Int(matches[p]) * length
                        let gp = g.baseAddress! + p * length
                        var sum: Float = 0
                        for i in 0..<length {
                            let d = xp[i] - sp[i]
                            sum += d * d
                            gp[i] = scale * d
                        }
                        loss += Double(sum)
                    }
                }
            }
        }
        Patches.backward(patchesGradient: patchGradient, into: gradient)
        return loss / (Double(count) * Double(length))
    }
}
