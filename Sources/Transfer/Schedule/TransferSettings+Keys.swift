import Tensor

/// Setting values by their configuration key (`Configs/default.yaml`, `--set key=value`).
/// Values arrive as parsed YAML scalars and lists (Int, Double, String, Bool, [Any]).
extension TransferSettings {
    /// The configuration keys, in the order `Configs/default.yaml` documents them.
    public static let keys = [
        "mode", "content_weight", "style_weight", "tv_weight", "chroma_tv_weight", "semantic_weight", "illumination_weight",
        "style_layers", "shallow_layers", "shallow_weight", "content_layer", "coarse_size", "iterations", "search", "pooling", "style_scale",
        "style_max_side", "segments", "seed", "init",
    ]

    /// Sets the setting named `key` from a parsed YAML value.
    /// - Throws: `TransferError.setting` for an unknown key or a value of the wrong kind.
    public mutating func set(_ key: String, to value: Any) throws {
        func number() throws -> Float {
            switch value {
            case let v as Int: return Float(v)
            case let v as Double: return Float(v)
            default: throw TransferError.setting(key: key, reason: "expected a number, got '\(value)'")
            }
        }
        func integer() throws -> Int {
            if let v = value as? Int { return v }
            if let v = value as? Double, v == v.rounded(), abs(v) < 1e15 { return Int(v) }
            throw TransferError.setting(key: key, reason: "expected an integer, got '\(value)'")
        }
        func string() throws -> String {
            if let v = value as? String { return v }
            throw TransferError.setting(key: key, reason: "expected a word, got '\(value)'")
        }
        func list<T>(_ element: (Any) -> T?) throws -> [T] {
            if let items = value as? [Any] {
                let parsed = items.compactMap(element)
                if parsed.count == items.count { return parsed }
            } else if let single = element(value) {
                return [single]
            }
            throw TransferError.setting(key: key, reason: "expected a list, got '\(value)'")
        }
        func choice<T: RawRepresentable & CaseIterable>(_: T.Type) throws -> T where T.RawValue == String {
            let word = try string()
            guard let parsed = T(rawValue: word) else {
                let known = T.allCases.map(\.rawValue).joined(separator: ", ")
                throw TransferError.setting(key: key, reason: "unknown value '\(word)' (expected one of \(known))")
            }
            return parsed
        }

        switch key {
        case "mode": mode = try choice(Mode.self)
        case "content_weight": contentWeight = try number()
        case "style_weight": styleWeight = try number()
        case "tv_weight": tvWeight = try number()
        case "chroma_tv_weight": chromaTVWeight = try number()
        case "semantic_weight": semanticWeight = try number()
        case "illumination_weight": illuminationWeight = try number()
        case "style_layers": styleLayers = try list { $0 as? String }
        case "shallow_layers": shallowLayers = try list { $0 as? String }
        case "shallow_weight": shallowWeight = try number()
        case "content_layer": contentLayer = try string()
        case "coarse_size": coarseSize = try integer()
        case "iterations": iterations = try list { ($0 as? Int) ?? ($0 as? Double).flatMap { $0 == $0.rounded() ? Int($0) : nil } }
        case "search": search = try choice(Search.self)
        case "pooling": pooling = try choice(Pool2x2.Kind.self)
        case "style_scale": styleScale = try number()
        case "style_max_side": styleMaxSide = try integer()
        case "segments": segments = try integer()
        case "seed":
            let parsed = try integer()
            guard parsed >= 0 else { throw TransferError.setting(key: key, reason: "must be ≥ 0, not \(parsed)") }
            seed = UInt64(parsed)
        case "init": initialisation = try choice(Initialisation.self)
        default:
            throw TransferError.setting(
                key: key, reason: "unknown configuration key (known: \(Self.keys.joined(separator: ", ")))")
        }
    }
}
