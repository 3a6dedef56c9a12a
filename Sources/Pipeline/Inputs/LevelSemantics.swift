import ImageIO
import Semantics
import Tensor

/// The content's DSS groups at one level, by rectangle: what `MultiScaleStylizer.content(of:at:)`
/// gives for the whole level (`ContentSemantics` says how they are made).
public struct LevelSemantics: Sendable {
    public let width: Int
    public let height: Int
    let semantics: ContentSemantics
    /// Full resolution → level, area averaging (as the in-memory path resizes DSS groups).
    let resampling: LevelResampling
    /// The lighting's own resolution → full resolution, bilinear (`Illumination.level(of:size:)`,
    /// `Illumination.estimate`); nil when it is already at full resolution.
    let lightingPlan: Resample.Plan?

    init(semantics: ContentSemantics, width: Int, height: Int) {
        precondition(width > 0 && height > 0, "a level of \(width)x\(height)")
        self.semantics = semantics
        self.width = width
        self.height = height
        let full = semantics.contentSize
        resampling = LevelResampling(
            from: full, to: PixelSize(width: width, height: height), kind: .area, clampsToUnit: false)
        lightingPlan = semantics.illumination.flatMap { light in
            light.width == full.width && light.height == full.height
                ? nil
                : Resample.Plan(kind: .bilinear, inputHeight: light.height, inputWidth: light.width,
                                outputHeight: full.height, outputWidth: full.width)
        }
    }

    /// The groups of level rectangle `rect`, in `DeepSemanticSpace.groups` order: the
    /// segmentation one-hot (K × rect) and the illumination (L, 1 − L) (2 × rect).
    public func groups(of rect: PixelRect) -> [Tensor] {
        var groups: [Tensor] = []
        if let labels = semantics.segmentation {
            let full = semantics.contentSize
            groups.append(resampling.level(rect, channels: labels.count) {
                labels.resized(width: full.width, height: full.height, region: $0).oneHot()
            })
        }
        if semantics.illumination != nil {
            groups.append(resampling.level(rect, channels: 2) { Illumination.encode(lighting(of: $0)) })
        }
        return groups
    }

    /// The lighting level (1 × rect) of a full-resolution rectangle.
    private func lighting(of rect: PixelRect) -> Tensor {
        let light = semantics.illumination!
        guard let plan = lightingPlan else { return light.cropped(to: rect) }
        let rows = plan.inputRows(for: rect.y..<rect.maxY), columns = plan.inputColumns(for: rect.x..<rect.maxX)
        let window = light.cropped(
            to: PixelRect(x: columns.lowerBound, y: rows.lowerBound, width: columns.count, height: rows.count))
        let output = Tensor(channels: 1, height: rect.height, width: rect.width)
        plan.apply(window, outputRows: rect.y..<rect.maxY, outputColumns: rect.x..<rect.maxX, into: output)
        return output
    }
}
