import Tensor

/// The configuration keys of a transfer (`Configs/default.yaml` documents each at length), each
/// declared once with the field it sets and its position on the wire: the STYLE message carries
/// every key here, in `wire` order, so a worker can never miss a setting the coordinator has.
/// Adding a setting is a field with its default in `TransferSettings` and one line here.
extension TransferSettings {
    public static let schema = SettingsSchema<TransferSettings>([
        .choice("mode", \.mode, wire: 0, help: "the style loss: dss, mrf (CNNMRF) or gatys (Gram matrices)"),
        .number("content_weight", \.contentWeight, .nonNegative, wire: 1, help: "weight of the content loss"),
        .number("style_weight", \.styleWeight, .nonNegative, wire: 2, help: "weight of the style loss"),
        .number("tv_weight", \.tvWeight, .nonNegative, wire: 3, help: "weight of the total-variation prior"),
        .number(
            "chroma_tv_weight", \.chromaTVWeight, .nonNegative, wire: 4,
            help: "weight of the total-variation prior on chroma alone"),
        .number(
            "semantic_weight", \.semanticWeight, .nonNegative, wire: 5,
            help: "weight of the segmentation in the patch matching score"),
        .number(
            "illumination_weight", \.illuminationWeight, .nonNegative, wire: 6,
            help: "weight of the illumination in the patch matching score"),
        .words("style_layers", \.styleLayers, wire: 8, help: "VGG layers whose patches or Gram matrices are matched"),
        .words(
            "shallow_layers", \.shallowLayers, wire: 18,
            help: "shallow VGG layers of the guided Gram statistics (colours, fine strokes)"),
        .number(
            "shallow_weight", \.shallowWeight, .nonNegative, wire: 19,
            help: "weight of the guided Gram statistics (0: off)"),
        .word("content_layer", \.contentLayer, wire: 9, help: "VGG layer whose features keep the content's layout"),
        .integer(
            "coarse_size", \.coarseSize, MultiScaleSchedule.minimumSide...1 << 16, wire: 10,
            help: "long side in pixels of the coarsest pyramid level"),
        .integers(
            "iterations", \.iterations, each: 0...100_000, wire: 11,
            help: "L-BFGS iterations per level, coarse to fine; the last repeats"),
        .choice("search", \.search, wire: 12, help: "nearest-neighbour patch search: approximate or exact"),
        .choice("pooling", \.pooling, wire: 13, help: "pooling between VGG blocks: average or max"),
        .number(
            "style_scale", \.styleScale, .above(0.05, atMost: 8), wire: 7,
            help: "size of the style relative to the output"),
        .integer(
            "style_max_side", \.styleMaxSide, MultiScaleSchedule.minimumSide...1 << 16, wire: 17,
            help: "longest side in pixels of the scaled style at any level"),
        .integer("segments", \.segments, 1...64, wire: 14, help: "regions of the automatic segmentation"),
        .unsigned("seed", \.seed, wire: 15, help: "seed of everything random"),
        .choice(
            "init", \.initialisation, wire: 16,
            help: "the image the coarsest level starts from: content, palette or distribution"),
    ])

    /// The configuration keys, in the order `Configs/default.yaml` documents them.
    public static var keys: [String] { schema.keys }

    /// Sets the setting named `key` from a parsed YAML value.
    /// - Throws: `TransferError.setting` for an unknown key or a value of the wrong kind.
    public mutating func set(_ key: String, to value: Any) throws {
        guard let setting = Self.schema[key] else {
            throw TransferError.setting(
                key: key, reason: "unknown configuration key (known: \(Self.keys.joined(separator: ", ")))")
        }
        try setting.set(value, in: &self)
    }
}
