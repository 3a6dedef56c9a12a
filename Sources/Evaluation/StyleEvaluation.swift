import Network
import Semantics
import Tensor

/// Scores a stylised picture with numbers, so that settings can be compared: its palette against
/// the painting's (`ColourDistance`, globally and per region), its drawing against the content's
/// (`EdgeCorrelation`), and its feature statistics against the painting's (`GramDistance`).
///
/// Holds the two networks the figures need, made once from one weights file: the HED edge
/// detector and the VGG-16 with max pooling. Not thread-safe (the networks reuse their buffers).
public final class StyleEvaluation {
    /// The content's and the style's label maps, with shared labels (as
    /// `ColourSegmentation.labels(contentMap:styleMap:…)` makes them), at any size: they are
    /// resized by nearest neighbour to the output and to the scaled painting.
    public struct Segmentation: Sendable {
        public var content: LabelMap
        public var style: LabelMap

        public init(content: LabelMap, style: LabelMap) {
            self.content = content
            self.style = style
        }
    }

    private let detector: HEDEdgeDetector
    private let vgg: VGG
    private let measure = SlicedWasserstein()

    /// Makes the networks from the default weights file (VGG-16 with the HED heads).
    /// - Throws: `NetworkError` when the file is not VGG-16 or lacks the HED heads.
    public init(file: SafeTensorsFile) throws {
        detector = try HEDEdgeDetector(file: file)
        vgg = VGG(weights: try VGGWeights(file: file), pooling: .max)
    }

    /// Loads the weights file at `path` (see `init(file:)`).
    /// - Throws: `NetworkError.missingWeights` naming `Scripts/fetch-weights` when there is no file.
    public convenience init(contentsOf path: String) throws {
        try self.init(file: SafeTensorsFile(contentsOf: path))
    }

    /// Every figure for `output` (the stylised image), `content` (the photo it was made from) and
    /// `style` (the painting), all 3×H×W sRGB in 0…1 at their own sizes.
    /// - Throws: `NetworkError.imageTooSmall` for an image too small for the network.
    public func evaluate(
        output: Tensor, content: Tensor, style: Tensor, segmentation: Segmentation? = nil
    ) throws -> EvaluationReport {
        let layers = try GramDistance.layerDistances(output: output, painting: style, vgg: vgg)
        let regions = segmentation.map {
            ColourDistance.regions(
                output: output, painting: style, contentLabels: $0.content, styleLabels: $0.style, measure: measure)
        }
        return EvaluationReport(
            colour: ColourDistance.global(output: output, painting: style, measure: measure),
            structure: try EdgeCorrelation.structure(output: output, content: content, detector: detector),
            styleLayers: layers,
            regions: regions ?? [],
            regionColour: regions.flatMap { ColourDistance.areaWeightedMean(of: $0) })
    }

    /// The structure figure alone (see `EdgeCorrelation`).
    public func structure(output: Tensor, content: Tensor) throws -> Double {
        try EdgeCorrelation.structure(output: output, content: content, detector: detector)
    }

    /// The style figure per layer alone (see `GramDistance`).
    public func styleLayers(output: Tensor, painting: Tensor) throws -> [LayerDistance] {
        try GramDistance.layerDistances(output: output, painting: painting, vgg: vgg)
    }
}

/// The figures of one stylised picture (see `StyleEvaluation`).
public struct EvaluationReport: Sendable, Equatable {
    /// Sliced Wasserstein distance in CIELAB to the painting's pixels: lower is closer.
    public var colour: Double
    /// Correlation of the HED edges with the content's: higher keeps more of the drawing.
    public var structure: Double
    /// The Gram distance at each of `GramDistance.layers`: lower is closer.
    public var styleLayers: [LayerDistance]
    /// Each region's colour figure, by label; empty without segmentation maps.
    public var regions: [RegionColour]
    /// The area-weighted mean of the regions covering at least 1% of the output; nil without maps.
    public var regionColour: Double?

    /// The style figure: the mean of the layers' Gram distances.
    public var style: Double {
        styleLayers.isEmpty ? 0 : styleLayers.reduce(0) { $0 + $1.distance } / Double(styleLayers.count)
    }
}
