import Tensor

/// The deep semantic space of a content–style pair (Yu et al. 2022, DESIGN.md §1): the
/// content's and the style's segmentation (with shared labels) and lighting.
///
/// The groups it gives are unweighted: the matching score applies the weights per group
/// (`PatchKeys.build(..., semanticPatches: groups, weights: weights)`, score = cos(features) +
/// Σᵢ wᵢ · cos(groupᵢ)). The image being made uses the content's groups: its layout is the
/// content's.
public struct DeepSemanticSpace: Sendable {
    /// A kind of DSS channels.
    public enum Group: String, Sendable, CaseIterable {
        case segmentation, illumination
    }

    public let content: SemanticStack
    public let style: SemanticStack

    /// - Parameters:
    ///   - segmentation: the content's and the style's labels with shared indices (from
    ///     `ColourSegmentation` or `AutomaticSegmentation`), or nil for none.
    ///   - illumination: the content's and the style's lighting levels (from `Illumination`), or
    ///     nil for none.
    public init(segmentation: (content: LabelMap, style: LabelMap)?, illumination: (content: Tensor, style: Tensor)?) {
        if let segmentation {
            precondition(segmentation.content.count == segmentation.style.count, "labels are not shared")
        }
        content = SemanticStack(segmentation: segmentation?.content, illumination: illumination?.content)
        style = SemanticStack(segmentation: segmentation?.style, illumination: illumination?.style)
    }

    private init(content: SemanticStack, style: SemanticStack) {
        self.content = content
        self.style = style
    }

    /// The groups present, in the order `SemanticStack.groups(height:width:)` returns them.
    public var groups: [Group] {
        (content.segmentation == nil ? [] : [.segmentation]) + (content.illumination == nil ? [] : [.illumination])
    }

    /// The space without the groups whose weight is 0, and the weights of those kept, in order:
    /// what `DeepSemanticLoss(styleSemantics:semanticWeights:)` takes.
    public func keeping(segmentationWeight: Float, illuminationWeight: Float) -> (
        space: DeepSemanticSpace, weights: [Float]
    ) {
        let keepSegmentation = segmentationWeight != 0 && content.segmentation != nil
        let keepIllumination = illuminationWeight != 0 && content.illumination != nil
        func kept(_ stack: SemanticStack) -> SemanticStack {
            SemanticStack(
                segmentation: keepSegmentation ? stack.segmentation : nil,
                illumination: keepIllumination ? stack.illumination : nil)
        }
        let weights = (keepSegmentation ? [segmentationWeight] : []) + (keepIllumination ? [illuminationWeight] : [])
        return (DeepSemanticSpace(content: kept(content), style: kept(style)), weights)
    }
}
