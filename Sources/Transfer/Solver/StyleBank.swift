import Network
import Tensor

/// Everything one level's objectives need from the style, computed once per level: for each
/// style layer, its `StylePatchBank` (`dss`, `mrf`) or its Gram matrix (`gatys`).
///
/// The style is global: every tile of a level is matched against the same bank (DESIGN.md §2),
/// so a worker builds a level's bank once from the style pixels and DSS it is sent, and every
/// tile objective of that level shares it.
public final class StyleBank {
    /// How one style layer's loss compares the image with the style.
    public enum Term {
        case patches(StylePatchBank)
        case gram(GramLoss)
    }

    /// The terms in the order of `settings.styleLayers`.
    public let terms: [(layer: String, term: Term)]
    /// The guided style statistics of `settings.activeShallowLayers`, in that order.
    public let shallowTerms: [(layer: String, loss: GuidedGramLoss)]
    /// The DSS weights of the matching score (one per group of the style DSS; empty for `mrf`, `gatys`).
    public let semanticWeights: [Float]
    /// Which DSS group is the segmentation, if any (see `MultiScaleStylizer.Inputs`).
    public let segmentationGroup: Int?
    /// The style image's size at this level.
    public let styleWidth: Int
    public let styleHeight: Int

    /// - Parameters:
    ///   - style: the style image at this level, RGB 3×hs×ws in [0, 1].
    ///   - styleSemantics: its DSS groups at the same resolution (Kᵢ×hs×ws), already chosen for
    ///     the mode (empty for `mrf` and `gatys`); `semanticWeights` their weights in the score.
    ///   - segmentationGroup: the index of the segmentation group among them, if any.
    /// - Throws: `TransferError.imageTooSmall` when a style layer has no 3×3 patch.
    public init(
        vgg: VGG, settings: TransferSettings, style: Tensor, styleSemantics: [Tensor], semanticWeights: [Float],
        segmentationGroup: Int? = nil
    ) throws {
        precondition(styleSemantics.count == semanticWeights.count, "one weight per DSS group")
        self.semanticWeights = semanticWeights
        self.segmentationGroup = segmentationGroup
        styleWidth = style.width
        styleHeight = style.height
        let shallowLayers = settings.activeShallowLayers
        let features = try vgg.features(of: style, layers: Array(Set(settings.styleLayers + shallowLayers)))
        shallowTerms = shallowLayers.map { layer in
            let layerFeatures = features[layer]!
            let groups = styleSemantics.map { LevelObjective.resize($0, to: layerFeatures.shape) }
            let guidance = StyleGuidance(semantics: groups, segmentationGroup: segmentationGroup,
                                         height: layerFeatures.height, width: layerFeatures.width)
            return (layer, GuidedGramLoss(styleFeatures: layerFeatures, guidance: guidance))
        }
        terms = try settings.styleLayers.enumerated().map { index, layer in
            let layerFeatures = features[layer]!
            switch settings.mode {
            case .gatys:
                return (layer, .gram(GramLoss(styleFeatures: layerFeatures)))
            case .dss, .mrf:
                guard layerFeatures.height >= 3 && layerFeatures.width >= 3 else {
                    throw TransferError.imageTooSmall(what: "the style at this level", width: style.width,
                                                      height: style.height, minimum: MultiScaleSchedule.minimumSide)
                }
                let groups = styleSemantics.map { LevelObjective.resize($0, to: layerFeatures.shape) }
                let bank = StylePatchBank(
                    styleFeatures: layerFeatures, styleSemantics: groups, segmentationGroup: segmentationGroup
                ) { keys, grid in
                    settings.search.make(keys: keys, grid: grid, seed: settings.seed &+ UInt64(index))
                }
                return (layer, .patches(bank))
            }
        }
    }
}
