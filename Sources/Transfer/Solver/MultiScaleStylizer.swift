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
        /// The image the coarsest level starts from, at the content's resolution (nil: the content).
        public var initial: Tensor?
        /// Which of the groups is the segmentation (one-hot regions), if any: the approximate
        /// search keeps each patch to style patches of its own region.
        public var segmentationGroup: Int?
        /// Whether the segmentation's regions were drawn by the user (colour-coded maps) rather
        /// than found automatically: the colour finish matches drawn regions one by one, and the
        /// whole image at once otherwise (see `colourFinish`).
        public var regionsAreDrawn = false
        /// The paintings blended in the style loss and their shares, when there are several
        /// (`init(blending:)`); empty for one painting, these inputs' own.
        public var blend: [(inputs: Inputs, share: Float)] = []

        public init(content: Tensor, style: Tensor, contentSemantics: [Tensor] = [], styleSemantics: [Tensor] = [],
                    semanticWeights: [Float] = [], segmentationGroup: Int? = nil, initial: Tensor? = nil) {
            precondition(initial.map { $0.shape == content.shape } ?? true, "the initial image has the content's shape")
            self.initial = initial
            self.content = content
            self.style = style
            self.contentSemantics = contentSemantics
            self.styleSemantics = styleSemantics
            self.semanticWeights = semanticWeights
            self.segmentationGroup = segmentationGroup
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
    /// - Parameters:
    ///   - levelFinished: called after each level with its report and its image.
    ///   - iterationFinished: called after each iteration with the level's index, the iteration's,
    ///     the loss at the last point evaluated (the accepted step's unless the line search gave
    ///     up) and the image (`stylize` shows its live line and stops on Ctrl-C with it).
    public func run(
        _ inputs: Inputs, width: Int, height: Int,
        levelFinished: (LevelReport, Tensor) throws -> Void = { _, _ in },
        iterationFinished: ((_ level: Int, _ iteration: Int, _ loss: Double, _ image: Tensor) throws -> Void)? = nil
    ) throws -> Tensor {
        try settings.validate(layerNames: vgg.architecture.layerNames)
        for (painting, _) in inputs.paintings {
            guard painting.contentSemantics.count == painting.styleSemantics.count,
                  painting.contentSemantics.count == painting.semanticWeights.count else {
                throw TransferError.guides(reason: "the content and the style have different DSS groups")
            }
        }
        let schedule = MultiScaleSchedule(width: width, height: height, settings: settings)
        guard let finest = schedule.levels.last, min(finest.width, finest.height) >= MultiScaleSchedule.minimumSide else {
            throw TransferError.imageTooSmall(what: "the output", width: width, height: height,
                                              minimum: MultiScaleSchedule.minimumSide)
        }
        var image: Tensor?
        var coarser: LevelObjective?
        for (index, level) in schedule.levels.enumerated() {
            let start = DispatchTime.now().uptimeNanoseconds
            let content = Self.resized(inputs.content, width: level.width, height: level.height)
            let shares = try inputs.paintings.map { painting, share in
                let (style, styleSemantics) = Self.style(
                    of: painting, at: level, outputWidth: width, outputHeight: height, settings: settings)
                let bank = try StyleBank(vgg: vgg, settings: settings, style: style, styleSemantics: styleSemantics,
                                         semanticWeights: settings.mode == .dss ? painting.semanticWeights : [],
                                         segmentationGroup: settings.mode == .dss ? painting.segmentationGroup : nil)
                return LevelObjective.StyleShare(
                    bank: bank, contentSemantics: Self.contentSemantics(of: painting, at: level, settings: settings),
                    weight: share)
            }
            let objective = try LevelObjective(vgg: vgg, settings: settings, styles: shares, content: content)
            if let coarser { objective.continueFields(from: coarser) }
            coarser = objective

            // The first level starts from the content; the others from the level below, enlarged.
            let x = image.map { Self.resized($0, width: level.width, height: level.height, kind: .bicubic) }
                ?? Self.start(of: inputs, at: level, content: content)
            let trace = try objective.optimise(
                x, iterations: level.iterations,
                iterationFinished: iterationFinished.map { watch in
                    { iteration, x in
                        let terms = objective.lastTerms
                        try watch(index, iteration, terms.content + terms.style + terms.tv, x)
                    }
                })
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

    /// The image the first level starts from: the inputs' initial image (the palette start) at
    /// `level`'s size, or a copy of `content`, the content at that size.
    public static func start(of inputs: Inputs, at level: MultiScaleSchedule.Level, content: Tensor) -> Tensor {
        inputs.initial.map { resized($0, width: level.width, height: level.height) } ?? content.clone()
    }

    /// The content and its DSS groups at `level`'s size (3×h×w, Kᵢ×h×w by area averaging); no DSS
    /// outside `dss` mode.
    public static func content(
        of inputs: Inputs, at level: MultiScaleSchedule.Level, settings: TransferSettings
    ) -> (image: Tensor, semantics: [Tensor]) {
        (resized(inputs.content, width: level.width, height: level.height),
         contentSemantics(of: inputs, at: level, settings: settings))
    }

    /// The content's DSS groups at `level`'s size (Kᵢ×h×w by area averaging); none outside `dss` mode.
    static func contentSemantics(
        of inputs: Inputs, at level: MultiScaleSchedule.Level, settings: TransferSettings
    ) -> [Tensor] {
        guard settings.mode == .dss else { return [] }
        return inputs.contentSemantics.map { resized($0, width: level.width, height: level.height, kind: .area) }
    }

    /// The style and its DSS groups at `level`: at the output level the style's long side is the
    /// output's times `style_scale`, and each coarser level shrinks it by the level's scale; at
    /// no level is it longer than `style_max_side` (the aspect ratio kept).
    public static func style(
        of inputs: Inputs, at level: MultiScaleSchedule.Level, outputWidth: Int, outputHeight: Int,
        settings: TransferSettings
    ) -> (image: Tensor, semantics: [Tensor]) {
        style(inputs.style, semantics: inputs.styleSemantics, at: level, outputWidth: outputWidth,
              outputHeight: outputHeight, settings: settings)
    }

    /// `style(of:at:…)` for a style and its DSS groups given on their own (the streaming inputs).
    public static func style(
        _ style: Tensor, semantics: [Tensor], at level: MultiScaleSchedule.Level, outputWidth: Int, outputHeight: Int,
        settings: TransferSettings
    ) -> (image: Tensor, semantics: [Tensor]) {
        let factor = Double(max(outputWidth, outputHeight)) * Double(settings.styleScale)
            / Double(max(style.width, style.height))
        var scaled = (width: Double(style.width) * factor * level.scale,
                      height: Double(style.height) * factor * level.scale)
        let cap = Double(settings.styleMaxSide) / max(scaled.width, scaled.height)
        if cap < 1 { scaled = (scaled.width * cap, scaled.height * cap) }
        let width = max(1, Int(scaled.width.rounded()))
        let height = max(1, Int(scaled.height.rounded()))
        let image = resized(style, width: width, height: height)
        guard settings.mode == .dss else { return (image, []) }
        return (image, semantics.map { resized($0, width: width, height: height, kind: .area) })
    }

    /// `image` resized to width×height: area averaging when shrinking, bicubic when enlarging
    /// (unless a kind is given), clamped to [0, 1] after bicubic overshoot.
    public static func resized(_ image: Tensor, width: Int, height: Int, kind: Resample.Kind? = nil) -> Tensor {
        if image.width == width && image.height == height { return image.clone() }
        let chosen = kind ?? resamplingKind(fromWidth: image.width, height: image.height, toWidth: width, height: height)
        let result = Tensor(Shape(channels: image.channels, height: height, width: width))
        Resample.forward(image, into: result, kind: chosen)
        if chosen == .bicubic { result.clamp(to: 0...1) }
        return result
    }

    /// The filter `resized` uses by default: area averaging when neither side grows, else bicubic.
    public static func resamplingKind(fromWidth width: Int, height: Int, toWidth newWidth: Int, height newHeight: Int)
        -> Resample.Kind
    {
        newWidth <= width && newHeight <= height ? .area : .bicubic
    }
}
