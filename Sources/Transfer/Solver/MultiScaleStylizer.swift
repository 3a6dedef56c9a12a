import Dispatch
import Network
import Tensor

/// The whole transfer on one machine: the levels of a `MultiScaleSchedule`, each optimised with
/// bounded L-BFGS on its `LevelObjective`, each finer level starting from the bicubic
/// upsampling of the result below (DESIGN.md §1).
public final class MultiScaleStylizer {
    /// The images and their deep semantic space, at their own resolutions.
    public struct Inputs {
        /// RGB 3×H×W in [0, 1]; the output has its aspect ratio.
        public var content: Tensor
        /// RGB 3×Hs×Ws in [0, 1].
        public var style: Tensor
        /// DSS groups (segmentation one-hot, illumination encoding) of the content (Kᵢ×H×W) and
        /// of the style (Kᵢ×Hs×Ws), and each group's weight in the matching score.
        public var contentSemantics: [Tensor]
        public var styleSemantics: [Tensor]
        public var semanticWeights: [Float]

        public init(content: Tensor, style: Tensor, contentSemantics: [Tensor] = [], styleSemantics: [Tensor] = [],
                    semanticWeights: [Float] = []) {
            self.content = content
            self.style = style
            self.contentSemantics = contentSemantics
            self.styleSemantics = styleSemantics
            self.semanticWeights = semanticWeights
        }
    }

    /// What one finished level reports.
    public struct LevelReport: Sendable {
        public var index: Int
        public var count: Int
        public var width: Int
        public var height: Int
        public var iterations: Int
        /// The loss before the first iteration and after each one.
        public var lossTrace: [Double]
        public var seconds: Double
        public var vggSeconds: Double
        public var searchSeconds: Double
        /// Loss evaluations (VGG forward + backward), at least one per iteration.
        public var evaluations: Int
        /// The weighted content, style and TV terms at the end of the level.
        public var terms: (content: Double, style: Double, tv: Double)
    }

    public let vgg: VGG
    public let settings: TransferSettings

    public init(vgg: VGG, settings: TransferSettings) {
        self.vgg = vgg
        self.settings = settings
    }

    /// Runs every level and returns the output image (RGB 3×height×width in [0, 1]).
    /// - Parameter levelFinished: called after each level with its report and its image.
    public func run(
        _ inputs: Inputs, width: Int, height: Int,
        levelFinished: (LevelReport, Tensor) throws -> Void = { _, _ in }
    ) throws -> Tensor {
        try settings.validate(layerNames: vgg.architecture.layerNames)
        guard inputs.contentSemantics.count == inputs.styleSemantics.count,
              inputs.contentSemantics.count == inputs.semanticWeights.count else {
            throw TransferError.guides(reason: "the content and the style have different DSS groups")
        }
        let schedule = MultiScaleSchedule(width: width, height: height, settings: settings)
        guard let finest = schedule.levels.last, min(finest.width, finest.height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(what: "the output", width: width, height: height,
                                              minimum: MultiScaleSchedule.minimumSide)
        }
        // The style's size at the output level: its long side matches the output's, times style_scale.
        let styleFactor = Double(max(width, height)) * Double(settings.styleScale)
            / Double(max(inputs.style.width, inputs.style.height))
        let usesSemantics = settings.mode == .dss
        var image: Tensor?
        for (index, level) in schedule.levels.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            let content = Self.resized(inputs.content, width: level.width, height: level.height)
            let styleWidth = max(1, Int((Double(inputs.style.width) * styleFactor * level.scale).rounded()))
            let styleHeight = max(1, Int((Double(inputs.style.height) * styleFactor * level.scale).rounded()))
            let style = Self.resized(inputs.style, width: styleWidth, height: styleHeight)
            let objective = try LevelObjective(
                vgg: vgg, settings: settings, content: content, style: style,
                contentSemantics: usesSemantics ? inputs.contentSemantics.map {
                    Self.resized($0, width: level.width, height: level.height, kind: .area) } : [],
                styleSemantics: usesSemantics ? inputs.styleSemantics.map {
                    Self.resized($0, width: styleWidth, height: styleHeight, kind: .area) } : [],
                semanticWeights: usesSemantics ? inputs.semanticWeights : [])

            // The first level starts from the content; the others from the level below, enlarged.
            let x: Tensor
            if let previous = image {
                x = Self.resized(previous, width: level.width, height: level.height, kind: .bicubic)
            } else {
                x = content.clone()
            }
            let optimizer = LBFGS(shape: x.shape)
            // Matches are searched once per iteration and held during its line search.
            let trace = try optimizer.minimize(
                x, iterations: level.iterations,
                objective: { image, gradient in try objective.evaluate(image, gradient: gradient, searching: false) },
                refresh: { image, gradient in try objective.evaluate(image, gradient: gradient, searching: true) })
            image = x
            let report = LevelReport(
                index: index, count: schedule.levels.count, width: level.width, height: level.height,
                iterations: level.iterations, lossTrace: trace,
                seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                vggSeconds: objective.vggSeconds, searchSeconds: objective.searchSeconds,
                evaluations: objective.evaluations, terms: objective.lastTerms)
            try levelFinished(report, x)
        }
        return image!
    }

    /// `image` resized to width×height: area averaging when shrinking, bicubic when enlarging
    /// (unless a kind is given), clamped to [0, 1] after bicubic overshoot.
    static func resized(_ image: Tensor, width: Int, height: Int, kind: Resample.Kind? = nil) -> Tensor {
        if image.width == width && image.height == height { return image.clone() }
        let chosen = kind ?? (width <= image.width && height <= image.height ? .area : .bicubic)
        let result = Tensor(Shape(channels: image.channels, height: height, width: width))
        Resample.forward(image, into: result, kind: chosen)
        if chosen == .bicubic { result.clamp(to: 0...1) }
        return result
    }
}
