import Tensor

/// Several paintings blended in one style loss (neural-style's `-style_blend_weights`): each
/// painting is paired with the content on its own — its own DSS, so that the automatic regions'
/// labels mean the same thing in the content and in that painting — and builds its own style
/// bank (patch banks or Gram matrices, and shallow statistics) at every level; the level's loss
/// adds each painting's terms times its share (`LevelObjective.StyleShare`).
extension MultiScaleStylizer.Inputs {
    /// Inputs that blend `paintings`: the first one's fields (content, style, DSS) with the whole
    /// list in `blend`, and as the starting image each painting's start (its palette start, or
    /// the content) mixed pixel by pixel by share. One painting gives its inputs unchanged, so
    /// that a blend of weights 1 and 0 (the latter left out by the caller) is the single run.
    /// - Parameter paintings: the content paired with each painting, and the shares (each > 0,
    ///   summing to 1); every painting's inputs hold the same content.
    public init(blending paintings: [(inputs: Self, share: Float)]) {
        precondition(!paintings.isEmpty, "at least one painting")
        precondition(paintings.allSatisfy { $0.inputs.content.shape == paintings[0].inputs.content.shape },
                     "one content for every painting")
        self = paintings[0].inputs
        guard paintings.count > 1 else { return }
        blend = paintings
        guard paintings.contains(where: { $0.inputs.initial != nil }) else { return }
        let start = Tensor(content.shape)
        start.withUnsafeMutableBufferPointer { mixed in
            for (inputs, share) in paintings {
                (inputs.initial ?? inputs.content).withUnsafeBufferPointer { own in
                    for i in 0..<mixed.count { mixed[i] += share * own[i] }
                }
            }
        }
        start.clamp(to: 0...1)
        initial = start
    }

    /// The paintings of the style loss and their shares: these inputs alone, share 1, unless
    /// they blend several.
    public var paintings: [(inputs: Self, share: Float)] { blend.isEmpty ? [(self, Float(1))] : blend }

    /// These inputs as the colour finish (`colourFinish`) should see them: unchanged for one
    /// painting; for several, the style is the blend's pixel cloud (`blendedPixels`) and the
    /// image is matched as a whole (drawn regions belong to one painting each).
    public var finishingBlend: Self {
        guard blend.count > 1 else { return self }
        var finishing = self
        finishing.style = Self.blendedPixels(blend.map { ($0.inputs.style, $0.share) })
        finishing.regionsAreDrawn = false
        return finishing
    }

    /// The colours of several paintings in proportion to their shares, as a 3×1×N image: N is the
    /// largest painting's pixel count, and painting p gives round(share_p · N) of its pixels,
    /// evenly spaced in raster order (deterministic: the same paintings give the same cloud).
    static func blendedPixels(_ styles: [(image: Tensor, share: Float)]) -> Tensor {
        let total = styles.map { $0.image.shape.planeCount }.max() ?? 0
        let counts = styles.map { Int((Double($0.share) * Double(total)).rounded()) }
        let cloud = Tensor(channels: 3, height: 1, width: max(1, counts.reduce(0, +)))
        var next = 0
        for ((image, _), count) in zip(styles, counts) where count > 0 {
            let plane = image.shape.planeCount
            for k in 0..<count {
                let p = min(plane - 1, Int((Double(k) + 0.5) * Double(plane) / Double(count)))
                for c in 0..<3 { cloud[flat: c * cloud.width + next] = image[flat: c * plane + p] }
                next += 1
            }
        }
        return cloud
    }
}
