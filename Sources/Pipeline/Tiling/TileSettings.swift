import Network
import Transfer

/// How a level larger than one tile is cut up (DESIGN.md §2), with the defaults of
/// `Configs/default.yaml` (keys `tile.size`, `tile.overlap`, `tile.halo`, `tile.rounds`).
///
/// Defaults: a 512² core keeps one tile's VGG pass (core + overlap + halo ≈ 672²) within a few
/// hundred megabytes and is still big enough that the 3×3 relu4_1 patches (24 px of image each)
/// see whole strokes; a 32 px overlap gives a raised-cosine seam 64 px wide, two relu4 patches;
/// a 48 px halo covers half of relu4_2's 76 px receptive field (38 px) rounded up to the pooling
/// stride; two rounds move every seam once, halfway across a tile.
public struct TileSettings: Sendable, Equatable {
    /// Side of a tile's core, in pixels.
    public var size = 512
    /// Pixels by which a tile's result reaches into each neighbour's core (blended there).
    public var overlap = 32
    /// Read-only context around the result, in pixels: seen by the network, never changed.
    public var halo = 48
    /// Rounds per level, each shifting the grid by a fraction of `size` so that seams move.
    public var rounds = 2

    public init() {}

    /// The configuration keys (each written `tile.<key>` in `StylizeSettings.schema`), in the order
    /// `Configs/default.yaml` documents them. Their ranges depend on the network: `validate`.
    public static let schema = SettingsSchema<TileSettings>([
        .integer("size", \.size, wire: nil, help: "side of a tile's core in pixels"),
        .integer("overlap", \.overlap, wire: nil, help: "pixels by which a tile's result reaches into its neighbours"),
        .integer("halo", \.halo, wire: nil, help: "read-only context around a tile's result, in pixels"),
        .integer("rounds", \.rounds, wire: nil, help: "rounds per tiled level, each shifting the grid"),
    ])

    public static var keys: [String] { schema.keys }

    /// The configuration section these keys live in.
    public static let section = "tile"

    /// Sets the setting named `key` (without the `tile.` prefix) from a parsed YAML value.
    /// - Throws: `TransferError.setting` naming `tile.<key>` for an unknown key or a non-integer value.
    public mutating func set(_ key: String, to value: Any) throws {
        guard let setting = Self.schema[key] else { throw Self.unknown(Self.section + "." + key) }
        do {
            try setting.set(value, in: &self)
        } catch TransferError.setting(_, let reason) {
            throw TransferError.setting(key: Self.section + "." + key, reason: reason)
        }
    }

    static func unknown(_ name: String) -> TransferError {
        let known = keys.map { section + "." + $0 }.joined(separator: ", ")
        return .setting(key: name, reason: "unknown configuration key (known: \(known))")
    }

    /// Checks the ranges, and the halo and alignment the network needs.
    /// - Parameters:
    ///   - architecture: the network; `layers` the layers the loss reads (style and content).
    /// - Throws: `TransferError.setting` naming the `tile.` key and the reason.
    public func validate(architecture: VGGArchitecture, layers: [String]) throws {
        let geometry = try TileGeometry(architecture: architecture, layers: layers)
        func require(_ condition: Bool, _ key: String, _ reason: String) throws {
            if !condition { throw TransferError.setting(key: Self.section + "." + key, reason: reason) }
        }
        let alignment = geometry.alignment
        try require(size >= 2 * alignment && size <= 1 << 14 && size % alignment == 0, "size",
                    "must be a multiple of \(alignment) between \(2 * alignment) and 16384, not \(size)")
        try require(overlap >= 0 && 2 * overlap <= size && overlap % alignment == 0, "overlap",
                    "must be a multiple of \(alignment) between 0 and half of tile.size (\(size / 2)), not \(overlap)")
        try require(halo >= geometry.minimumHalo && halo <= 4096 && halo % alignment == 0, "halo",
                    "must be a multiple of \(alignment) between \(geometry.minimumHalo) (half the receptive field of "
                        + "\(geometry.deepestLayer)) and 4096, not \(halo)")
        try require(rounds >= 1 && rounds <= 16, "rounds", "must be between 1 and 16, not \(rounds)")
    }
}

/// What the network asks of tiles: a halo of at least half the receptive field of the deepest
/// layer in use (so that the features over every result pixel are computed from real neighbouring
/// pixels, not from the zero padding at the tile's edge), and tile origins on the deepest layer's
/// pooling grid (so that a tile pools the same 2×2 blocks as the whole image).
public struct TileGeometry: Sendable, Equatable {
    /// The deepest layer the loss reads.
    public let deepestLayer: String
    /// ⌈receptive field / 2⌉, rounded up to `alignment`.
    public let minimumHalo: Int
    /// The deepest layer's stride: tile origins and shifts are multiples of it.
    public let alignment: Int

    /// - Throws: `NetworkError.unknownLayer` for a layer the network does not have.
    public init(architecture: VGGArchitecture, layers: [String]) throws {
        var deepest = (position: -1, name: "")
        for layer in layers {
            let position = try architecture.position(of: layer)
            if position > deepest.position { deepest = (position, layer) }
        }
        precondition(deepest.position >= 0, "no layers")
        deepestLayer = deepest.name
        alignment = try architecture.stride(of: deepest.name)
        let half = (try architecture.receptiveField(of: deepest.name) + 1) / 2
        minimumHalo = (half + alignment - 1) / alignment * alignment
    }
}
