import Dispatch
import Foundation
import Network
import Tensor

/// The total loss of one pyramid level as a function of the image being made, X:
///
///     content_weight · content(relu4_2)
///         + Σ_p w_p · (style_weight · Σ_l style_p,l + shallow_weight · Σ_s guided_p,s) + tv_weight · TV(X)
///
/// where style_p,l is the deep semantic loss (`dss`, `mrf`) or the Gram loss (`gatys`) at style
/// layer l against painting p, guided_p,s the guided Gram loss at shallow layer s
/// (`GuidedGramLoss`), and w_p the painting's share (neural-style's `-style_blend_weights`; one
/// painting of share 1 in the usual case). Everything
/// fixed for the level is computed once in `init`: the content's features, the style's patch
/// banks (or Gram matrices), and the DSS groups at each layer's size.
public final class LevelObjective {
    /// How one style layer's loss is computed.
    enum StyleTerm {
        case patches(DeepSemanticLoss, semantics: [Tensor])
        case gram(GramLoss)
    }

    /// One painting's part of the style loss: its bank, the content's DSS groups that pair with
    /// it (label k means the same region in both), and its share of the loss.
    public struct StyleShare {
        public var bank: StyleBank
        public var contentSemantics: [Tensor]
        public var weight: Float

        public init(bank: StyleBank, contentSemantics: [Tensor], weight: Float = 1) {
            self.bank = bank
            self.contentSemantics = contentSemantics
            self.weight = weight
        }
    }

    let vgg: VGG
    let settings: TransferSettings
    let content: ContentLoss
    /// Every painting's style terms, painting after painting, each with its share.
    let styleTerms: [(layer: String, term: StyleTerm, share: Float)]
    /// The guided style statistics, each with the image's guidance at its layer (fixed: the
    /// image's layout is the content's) and its painting's share.
    let shallowTerms: [(layer: String, loss: GuidedGramLoss, guidance: StyleGuidance, share: Float)]
    private let requestedLayers: [String]
    /// One gradient buffer per loss term (content first), and the per-layer sums handed to VGG.
    private let termGradients: [Tensor]
    private let layerGradients: [String: Tensor]
    /// The image of the last forward pass and its features (the network's own buffers, valid
    /// until the next pass). L-BFGS re-evaluates the point it has just accepted, with a fresh
    /// search: the forward pass at that point is already done, so it is reused.
    private let lastImage: Tensor
    private var lastFeatures: [String: Tensor] = [:]
    /// Forward passes run so far (≤ `evaluations`: a repeated image reuses the last pass).
    public private(set) var forwardPasses = 0
    /// Wall-clock split of the evaluations so far.
    public private(set) var vggSeconds = 0.0
    public private(set) var totalSeconds = 0.0
    /// How many times the loss has been evaluated (L-BFGS's line search may take several per iteration).
    public private(set) var evaluations = 0
    public var searchSeconds: Double {
        styleTerms.reduce(0) { sum, entry in
            if case .patches(let loss, _) = entry.term { return sum + loss.searchSeconds }
            return sum
        }
    }
    /// The terms of the last evaluation, weighted: content, style, TV.
    public private(set) var lastTerms = (content: 0.0, style: 0.0, tv: 0.0)

    /// An objective with a style bank of its own (see `StyleBank.init` for the style arguments).
    /// - Parameters:
    ///   - content: the content image at this level, RGB 3×h×w in [0, 1].
    ///   - contentSemantics, styleSemantics: the DSS groups at the images' resolutions (each
    ///     Kᵢ×h×w and Kᵢ×hs×ws), already chosen for the mode; `semanticWeights` their weights.
    ///   - segmentationGroup: which of the groups is the segmentation, if any.
    public convenience init(
        vgg: VGG, settings: TransferSettings, content: Tensor, style: Tensor,
        contentSemantics: [Tensor], styleSemantics: [Tensor], semanticWeights: [Float], segmentationGroup: Int? = nil
    ) throws {
        let bank = try StyleBank(vgg: vgg, settings: settings, style: style, styleSemantics: styleSemantics,
                                 semanticWeights: semanticWeights, segmentationGroup: segmentationGroup)
        try self.init(vgg: vgg, settings: settings, style: bank, content: content, contentSemantics: contentSemantics)
    }

    /// - Parameters:
    ///   - style: the level's style bank (shared with the level's other objectives).
    ///   - content: the content image (or tile) at this level, RGB 3×h×w in [0, 1]; X has its size.
    ///   - contentSemantics: its DSS groups at its resolution (Kᵢ×h×w), the style bank's groups.
    public convenience init(
        vgg: VGG, settings: TransferSettings, style: StyleBank, content contentImage: Tensor,
        contentSemantics: [Tensor]
    ) throws {
        try self.init(
            vgg: vgg, settings: settings, styles: [StyleShare(bank: style, contentSemantics: contentSemantics)],
            content: contentImage)
    }

    /// An objective that blends several paintings, each term of painting p weighted by its share.
    /// - Parameters:
    ///   - styles: the paintings' banks (shared with the level's other objectives), each with the
    ///     content's DSS groups at its resolution (Kᵢ×h×w, the bank's groups) and its share.
    ///   - content: the content image (or tile) at this level, RGB 3×h×w in [0, 1]; X has its size.
    public init(vgg: VGG, settings: TransferSettings, styles: [StyleShare], content contentImage: Tensor) throws {
        precondition(!styles.isEmpty, "at least one painting")
        self.vgg = vgg
        self.settings = settings
        let architecture = vgg.architecture
        let shallowLayers = styles.flatMap { $0.bank.shallowTerms.map(\.layer) }
        requestedLayers = Array(Set(settings.styleLayers + [settings.contentLayer] + shallowLayers))
        var terms: [(String, StyleTerm, Float)] = []
        var shallow: [(String, GuidedGramLoss, StyleGuidance, Float)] = []
        for share in styles {
            let style = share.bank, contentSemantics = share.contentSemantics
            precondition(contentSemantics.count == style.semanticWeights.count,
                         "content DSS groups do not match the style bank's")
            for (index, (layer, term)) in style.terms.enumerated() {
                switch term {
                case .gram(let loss):
                    terms.append((layer, .gram(loss), share.weight))
                case .patches(let bank):
                    let shape = try architecture.activationShape(
                        of: layer, height: contentImage.height, width: contentImage.width)
                    guard shape.height >= 3 && shape.width >= 3 else {
                        throw TransferError.imageTooSmall(
                            what: "the image at this level", width: contentImage.width, height: contentImage.height,
                            minimum: MultiScaleSchedule.minimumSide)
                    }
                    let contentGroups = contentSemantics.map { Self.resize($0, to: shape) }
                    let loss = DeepSemanticLoss(bank: bank, semanticWeights: style.semanticWeights,
                                                seed: settings.seed &+ UInt64(index))
                    terms.append((layer, .patches(loss, semantics: contentGroups), share.weight))
                }
            }
            for (layer, loss) in style.shallowTerms {
                let shape = try architecture.activationShape(
                    of: layer, height: contentImage.height, width: contentImage.width)
                let groups = contentSemantics.map { Self.resize($0, to: shape) }
                let guidance = StyleGuidance(semantics: groups, segmentationGroup: style.segmentationGroup,
                                             height: shape.height, width: shape.width)
                shallow.append((layer, loss, guidance, share.weight))
            }
        }
        styleTerms = terms
        shallowTerms = shallow
        let contentFeatures = try vgg.forward(contentImage, layers: [settings.contentLayer])
        content = ContentLoss(target: contentFeatures[settings.contentLayer]!.clone())

        var buffers: [Tensor] = [Tensor(content.target.shape)]
        var sums: [String: Tensor] = [settings.contentLayer: Tensor(content.target.shape)]
        for layer in styleTerms.map(\.layer) + shallowTerms.map(\.layer) {
            let shape = try architecture.activationShape(of: layer, height: contentImage.height, width: contentImage.width)
            buffers.append(Tensor(shape))
            if sums[layer] == nil { sums[layer] = Tensor(shape) }
        }
        termGradients = buffers
        layerGradients = sums
        lastImage = Tensor(contentImage.shape)
    }

    /// Starts each patch loss's first search from the field of the same layer one level down
    /// (DESIGN.md §1: each finer level starts from the level below and its nearest-neighbour field).
    public func continueFields(from coarser: LevelObjective) {
        // Both levels list the same paintings' terms in the same order.
        for (entry, coarserEntry) in zip(styleTerms, coarser.styleTerms) where entry.layer == coarserEntry.layer {
            if case .patches(let loss, _) = entry.term, case .patches(let coarserLoss, _) = coarserEntry.term {
                loss.continueField(from: coarserLoss)
            }
        }
    }

    /// An area resize of a DSS group to a layer's height and width.
    static func resize(_ group: Tensor, to shape: Shape) -> Tensor {
        let resized = Tensor(Shape(channels: group.channels, height: shape.height, width: shape.width))
        Resample.forward(group, into: resized, kind: .area)
        return resized
    }

    /// The total loss at `image` (3×h×w), with ∂loss/∂image written into `gradient`.
    /// - Parameter searching: whether the patch losses search for new matches (true) or keep
    ///   the previous evaluation's (false: the loss is then smooth along a line search).
    public func evaluate(_ image: Tensor, gradient: Tensor, searching: Bool = true) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        var vggNanoseconds: UInt64 = 0
        let features: [String: Tensor]
        if !lastFeatures.isEmpty && Self.same(image, lastImage) {
            features = lastFeatures
        } else {
            let forwardStart = DispatchTime.now().uptimeNanoseconds
            features = try vgg.forward(image, layers: requestedLayers)
            vggNanoseconds += DispatchTime.now().uptimeNanoseconds - forwardStart
            lastImage.copy(from: image)
            lastFeatures = features
            forwardPasses += 1
        }

        let contentValue = Double(settings.contentWeight)
            * content.evaluate(features: features[settings.contentLayer]!, gradient: termGradients[0])
        termGradients[0].scale(by: settings.contentWeight)
        for (_, sum) in layerGradients { sum.fill(0) }
        layerGradients[settings.contentLayer]!.add(termGradients[0])

        var styleValue = 0.0
        for (index, entry) in styleTerms.enumerated() {
            let buffer = termGradients[index + 1]
            let layerFeatures = features[entry.layer]!
            let value: Double
            switch entry.term {
            case .patches(let loss, let semantics):
                value = loss.evaluate(features: layerFeatures, semantics: semantics, gradient: buffer, searching: searching)
            case .gram(let loss):
                value = loss.evaluate(features: layerFeatures, gradient: buffer)
            }
            // A single painting's share is 1: its weight is style_weight's exact value.
            let weight = settings.styleWeight * entry.share
            styleValue += Double(weight) * value
            buffer.scale(by: weight)
            layerGradients[entry.layer]!.add(buffer)
        }
        for (index, entry) in shallowTerms.enumerated() {
            let buffer = termGradients[styleTerms.count + index + 1]
            let value = entry.loss.evaluate(features: features[entry.layer]!, guidance: entry.guidance, gradient: buffer)
            let weight = settings.shallowWeight * entry.share
            styleValue += Double(weight) * value
            buffer.scale(by: weight)
            layerGradients[entry.layer]!.add(buffer)
        }

        let backwardStart = DispatchTime.now().uptimeNanoseconds
        try vgg.backward(from: layerGradients, into: gradient)
        vggNanoseconds += DispatchTime.now().uptimeNanoseconds - backwardStart

        var tvValue = settings.tvWeight > 0 ? TotalVariation.accumulate(image, weight: settings.tvWeight, into: gradient) : 0
        if settings.chromaTVWeight > 0 {
            tvValue += TotalVariation.accumulateChroma(image, weight: settings.chromaTVWeight, into: gradient)
        }
        lastTerms = (contentValue, styleValue, tvValue)
        evaluations += 1
        vggSeconds += Double(vggNanoseconds) / 1e9
        totalSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return contentValue + styleValue + tvValue
    }

    /// Whether two images hold exactly the same values.
    private static func same(_ a: Tensor, _ b: Tensor) -> Bool {
        guard a.shape == b.shape else { return false }
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                memcmp(pa.baseAddress!, pb.baseAddress!, pa.count * MemoryLayout<Float>.stride) == 0
            }
        }
    }
}
