import Network
import Transfer

/// Every setting of `atelier stylize` and of a coordinator's job: the transfer's (top-level keys,
/// `TransferSettings.schema`), the finish's, and the tiling's (the `tile` section), in one schema,
/// so the command line, job files, `--dump-config` and the job hash have one list of keys.
public struct StylizeSettings: Sendable, Equatable {
    public var transfer = TransferSettings()
    public var tile = TileSettings()
    /// `preserve_colors`: the output keeps the content's colours and takes only the stylised
    /// luminance (`ColourPreservation`). Applied to the finished image, so workers never see it.
    public var preserveColors = false
    /// `colour_finish`: how far the finished image's colours move, cell by cell of the DSS, to the
    /// painting's colour distribution (`PaletteTransfer.matchDistributions`): 1 all the way, 0 not
    /// at all (`true` and `false` are 1 and 0). Applied to the finished image.
    public var colourFinish: Float = 1

    public init() {}

    /// Every key in `Configs/default.yaml` order: the transfer's, `colour_finish`, `preserve_colors`,
    /// then `tile.size`, `tile.overlap`, ….
    public static let schema = SettingsSchema<StylizeSettings>(
        TransferSettings.schema.settings.map { $0.lifted(through: \.transfer) }
            + [
                .fraction(
                    "colour_finish", \.colourFinish, wire: nil,
                    help: "how far the finished image's colours move to the painting's (0 to 1)"),
                .flag(
                    "preserve_colors", \.preserveColors, wire: nil,
                    help: "keep the content's colours: take only the stylised luminance"),
            ]
            + TileSettings.schema.settings.map { $0.lifted(through: \.tile, prefix: TileSettings.section + ".") })

    public static var keys: [String] { schema.keys }

    /// Sets `key` from a parsed YAML value. `tile.size` sets one tile key; `tile` takes a mapping
    /// of tile keys (`tile: {size: 128, rounds: 2}` in a file), applied in key order.
    /// - Throws: `TransferError.setting` naming the full key for an unknown key or a bad value.
    public mutating func set(_ key: String, to value: Any) throws {
        if key == TileSettings.section {
            guard let mapping = value as? [String: Any] else {
                throw TransferError.setting(
                    key: key,
                    reason: "expected a mapping of \(TileSettings.keys.joined(separator: ", ")), got '\(value)'")
            }
            for name in mapping.keys.sorted() { try tile.set(name, to: mapping[name]!) }
        } else if let setting = Self.schema[key] {
            try setting.set(value, in: &self)
        } else if key.hasPrefix(TileSettings.section + ".") {
            throw TileSettings.unknown(key)
        } else {
            throw TransferError.setting(
                key: key, reason: "unknown configuration key (known: \(Self.keys.joined(separator: ", ")))")
        }
    }

    /// Checks the transfer's and the tiling's settings against the network.
    /// - Throws: `TransferError.setting` naming the key and the reason.
    public func validate(architecture: VGGArchitecture) throws {
        try transfer.validate(layerNames: architecture.layerNames)
        try tile.validate(architecture: architecture, layers: transfer.styleLayers + [transfer.contentLayer])
    }

    /// What the network asks of the tiles under these settings.
    public func geometry(of architecture: VGGArchitecture) throws -> TileGeometry {
        try TileGeometry(architecture: architecture, layers: transfer.styleLayers + [transfer.contentLayer])
    }
}
