import Tensor

/// Every setting of one style transfer, with the defaults of `Configs/default.yaml`. Each field is
/// a configuration key declared in `TransferSettings.schema` (its name, range, help and place on
/// the wire); the initial values here are the defaults.
public struct TransferSettings: Sendable, Equatable {
    /// Which loss guides the style (DESIGN.md §1).
    public enum Mode: String, Sendable, CaseIterable {
        /// Deep semantic loss: patches matched on features plus segmentation and illumination.
        case dss
        /// CNNMRF: patches matched on features alone.
        case mrf
        /// Gatys et al.: Gram matrices, no patches.
        case gatys
    }

    /// Which nearest-neighbour search the patch losses use (`search`).
    public enum Search: String, Sendable, CaseIterable {
        /// Blocked SGEMM with a fused arg-max: every query against every style patch.
        case exact
        /// PatchMatch over a projected bank with exact rescoring (`ApproximatePatchSearch`).
        case approximate
    }

    /// The image the coarsest level starts from.
    public enum Initialisation: String, Sendable, CaseIterable {
        /// The content itself.
        case content
        /// The content recoloured region by region with the style's palette (`PaletteTransfer`).
        case palette
        /// The content recoloured so that each DSS cell has the whole colour distribution of the
        /// style's cell (`PaletteTransfer.matchDistributions`).
        case distribution
    }

    public var mode = Mode.dss
    public var contentWeight: Float = 300
    public var styleWeight: Float = 1
    public var tvWeight: Float = 300
    public var chromaTVWeight: Float = 30000
    public var semanticWeight: Float = 1
    public var illuminationWeight: Float = 0.5
    public var styleLayers = ["relu3_1", "relu4_1"]
    /// Layers whose guided Gram matrices (one per region × light band of the DSS) carry the
    /// painting's colours and fine strokes (`GuidedGramLoss`); used in `dss` and `mrf` modes.
    public var shallowLayers = ["relu1_1", "relu2_1"]
    public var shallowWeight: Float = 0
    public var contentLayer = "relu4_2"
    public var coarseSize = 128
    public var iterations = [80, 40, 20]
    public var search = Search.approximate
    public var pooling = Pool2x2.Kind.average
    public var styleScale: Float = 1
    /// The longest side, in pixels, of the scaled style at any level (`style_max_side`): at a
    /// gigapixel output `style_scale` alone would ask for a 32768-px style, whose patch bank does
    /// not fit in memory. 4096 changes nothing for outputs up to 4096 px at `style_scale` 1.
    public var styleMaxSide = 4096
    public var segments = 5
    public var seed: UInt64 = 0
    public var initialisation = Initialisation.palette

    public init() {}

    /// The layers of the guided style statistics in this mode (none for `gatys`, whose style
    /// layers are Gram matrices already, or when their weight is 0).
    public var activeShallowLayers: [String] {
        mode == .gatys || shallowWeight == 0 ? [] : shallowLayers
    }

    /// The iteration count of level `index` (coarse to fine): the list's last value repeats.
    public func iterations(atLevel index: Int) -> Int {
        iterations.isEmpty ? 0 : iterations[min(index, iterations.count - 1)]
    }

    /// Checks each key's range (`schema`), then the relations between keys and the layer names.
    /// - Throws: `TransferError.setting` naming the key and the reason.
    public func validate(layerNames: [String]) throws {
        try Self.schema.checkRanges(of: self)
        func require(_ condition: Bool, _ key: String, _ reason: String) throws {
            if !condition { throw TransferError.setting(key: key, reason: reason) }
        }
        try require(
            !styleLayers.isEmpty || mode == .gatys && styleWeight == 0, "style_layers", "must name at least one layer")
        let known = layerNames.filter { $0.hasPrefix("relu") }.joined(separator: ", ")
        for layer in shallowLayers {
            try require(layerNames.contains(layer), "shallow_layers", "unknown layer '\(layer)' (known: \(known))")
        }
        for layer in styleLayers + [contentLayer] {
            try require(layerNames.contains(layer), layer == contentLayer ? "content_layer" : "style_layers",
                        "unknown layer '\(layer)' (known: \(known))")
        }
    }
}

/// Errors of the transfer itself: bad settings, and inputs the method cannot work with.
public enum TransferError: Error, Equatable, CustomStringConvertible {
    /// A configuration value out of range; `key` is the configuration key.
    case setting(key: String, reason: String)
    /// An image too small for the network's deepest layer in use.
    case imageTooSmall(what: String, width: Int, height: Int, minimum: Int)
    /// Content and style semantic guides that cannot be used together.
    case guides(reason: String)

    public var description: String {
        switch self {
        case .setting(let key, let reason):
            return "\(key): \(reason)"
        case .imageTooSmall(let what, let width, let height, let minimum):
            return "\(what) is \(width)×\(height) pixels; the network needs at least \(minimum) on each side"
        case .guides(let reason):
            return "semantic maps: \(reason)"
        }
    }
}
