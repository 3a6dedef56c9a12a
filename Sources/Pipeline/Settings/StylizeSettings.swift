import Network
import Transfer

/// Every setting of `atelier stylize` and of a coordinator's job: the transfer's (top-level keys,
/// `TransferSettings.keys`) and the tiling's (the `tile` section). Routes each configuration key
/// to its owner, so the command line and job files have one list of keys.
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

    /// Every key in `Configs/default.yaml` order: the transfer's, `colour_finish`, `preserve_colors`, then
    /// `tile.size`, `tile.overlap`, ….
    public static let keys = TransferSettings.keys + ["colour_finish", "preserve_colors"]
        + TileSettings.keys.map { TileSettings.section + "." + $0 }

    /// Sets `key` from a parsed YAML value. `tile.size` sets one tile key; `tile` takes a mapping
    /// of tile keys (`tile: {size: 128, rounds: 2}` in a file), applied in key order.
    /// - Throws: `TransferError.setting` naming the full key for an unknown key or a bad value.
    public mutating func set(_ key: String, to value: Any) throws {
        let prefix = TileSettings.section + "."
        if key == TileSettings.section {
            guard let mapping = value as? [String: Any] else {
                throw TransferError.setting(
                    key: key, reason: "expected a mapping of \(TileSettings.keys.joined(separator: ", ")), got '\(value)'")
            }
            for name in mapping.keys.sorted() { try tile.set(name, to: mapping[name]!) }
        } else if key.hasPrefix(prefix) {
            try tile.set(String(key.dropFirst(prefix.count)), to: value)
        } else if key == "preserve_colors" {
            guard let flag = value as? Bool else {
                throw TransferError.setting(key: key, reason: "expected true or false, got '\(value)'")
            }
            preserveColors = flag
        } else if key == "colour_finish" {
            let strength: Double? = (value as? Bool).map { $0 ? 1 : 0 } ?? (value as? Double) ?? (value as? Int).map(Double.init)
            guard let strength, strength >= 0 && strength <= 1 else {
                throw TransferError.setting(key: key, reason: "expected a number from 0 to 1 (or true, false), got '\(value)'")
            }
            colourFinish = Float(strength)
        } else {
            do {
                try transfer.set(key, to: value)
            } catch TransferError.setting(let name, let reason) where name == key && reason.hasPrefix("unknown configuration key") {
                throw TransferError.setting(
                    key: key, reason: "unknown configuration key (known: \(Self.keys.joined(separator: ", ")))")
            }
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
