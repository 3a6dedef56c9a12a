/// A setting's value in the schema's own terms: what a YAML scalar or list is read into, what the
/// wire carries, and what the canonical text (`--dump-config`, the job hash) spells.
public enum SettingValue: Sendable, Equatable {
    case number(Float)
    case integer(Int)
    case unsigned(UInt64)
    case word(String)
    case words([String])
    case integers([Int])
    case flag(Bool)

    /// The kinds of value, one per case: what a reader of the wire expects next.
    public enum Kind: Sendable {
        case number, integer, unsigned, word, words, integers, flag
    }

    public var kind: Kind {
        switch self {
        case .number: .number
        case .integer: .integer
        case .unsigned: .unsigned
        case .word: .word
        case .words: .words
        case .integers: .integers
        case .flag: .flag
        }
    }

    /// The canonical text: a YAML scalar or flow list that reads back to the same value. A whole
    /// number is written without a fraction (`300`, not `300.0`); others as Swift's shortest
    /// round-trip spelling of the Float (`0.5`, `1e-05`).
    public var text: String {
        switch self {
        case .number(let value): value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : "\(value)"
        case .integer(let value): String(value)
        case .unsigned(let value): String(value)
        case .word(let value): value
        case .words(let values): "[" + values.joined(separator: ", ") + "]"
        case .integers(let values): "[" + values.map(String.init).joined(separator: ", ") + "]"
        case .flag(let value): String(value)
        }
    }
}

/// One configuration key, declared once: its name, the field it sets, the kind of value, the
/// values it admits, its place on the wire and a line of help. Reading YAML, `--set`, validation,
/// `--dump-config`, the wire coding and the job hash are all derived from these declarations.
public struct Setting<Root>: Sendable {
    /// The configuration key (`content_weight`, `tile.size`).
    public let name: String
    /// What the key sets, in one line.
    public let help: String
    public let kind: SettingValue.Kind
    /// The words a choice admits, or nil for a key that is not a choice.
    public let choices: [String]?
    /// The position of the field in a STYLE message's settings, or nil for a key that workers
    /// never need (applied by the coordinator to the finished image).
    public let wirePosition: Int?
    private let read: @Sendable (Root) -> SettingValue
    /// Stores a value of `kind`; returns why not (a word that is not one of the choices).
    private let write: @Sendable (inout Root, SettingValue) -> String?
    /// A parsed YAML value as a value of `kind`; returns why not (a value of another kind).
    private let parse: @Sendable (Any) -> Result<SettingValue, SettingRefusal>
    /// Why a value is out of range, or nil.
    private let check: @Sendable (SettingValue) -> String?

    init(
        _ name: String, kind: SettingValue.Kind, choices: [String]? = nil, wire: Int?, help: String,
        read: @escaping @Sendable (Root) -> SettingValue,
        write: @escaping @Sendable (inout Root, SettingValue) -> String?,
        parse: @escaping @Sendable (Any) -> Result<SettingValue, SettingRefusal>,
        check: @escaping @Sendable (SettingValue) -> String? = { _ in nil }
    ) {
        self.name = name
        self.kind = kind
        self.choices = choices
        self.wirePosition = wire
        self.help = help
        self.read = read
        self.write = write
        self.parse = parse
        self.check = check
    }

    /// The key's value in `root`.
    public func value(in root: Root) -> SettingValue { read(root) }

    /// Sets the key in `root` from a parsed YAML value (Int, Double, String, Bool, [Any]).
    /// - Throws: `TransferError.setting` naming the key: a value of the wrong kind, an unknown choice.
    public func set(_ yaml: Any, in root: inout Root) throws {
        switch parse(yaml) {
        case .failure(let refusal): throw TransferError.setting(key: name, reason: refusal.reason)
        case .success(let value): try assign(value, in: &root)
        }
    }

    /// Sets the key in `root` to `value` (as read from the wire).
    /// - Throws: `TransferError.setting` naming the key for a value of another kind or an unknown choice.
    public func assign(_ value: SettingValue, in root: inout Root) throws {
        guard value.kind == kind else {
            throw TransferError.setting(key: name, reason: "expected a \(kind) value, got '\(value.text)'")
        }
        if let reason = write(&root, value) { throw TransferError.setting(key: name, reason: reason) }
    }

    /// Why the key's value in `root` is out of its declared range, or nil.
    public func problem(in root: Root) -> String? { check(read(root)) }

    /// The same key on a structure that holds `Root` at `path`, named `prefix + name`.
    public func lifted<Outer>(through path: WritableKeyPath<Outer, Root> & Sendable, prefix: String = "")
        -> Setting<Outer>
    {
        let (read, write) = (self.read, self.write)
        return Setting<Outer>(
            prefix + name, kind: kind, choices: choices, wire: wirePosition, help: help,
            read: { read($0[keyPath: path]) }, write: { write(&$0[keyPath: path], $1) }, parse: parse, check: check)
    }
}

/// Why a parsed YAML value cannot be a setting's value.
public struct SettingRefusal: Error {
    public let reason: String
}

/// The configuration keys of one structure, in the order `Configs/default.yaml` documents them.
public struct SettingsSchema<Root>: Sendable {
    public let settings: [Setting<Root>]

    public init(_ settings: [Setting<Root>]) {
        precondition(Set(settings.map(\.name)).count == settings.count, "a configuration key is declared twice")
        self.settings = settings
    }

    public var keys: [String] { settings.map(\.name) }

    public subscript(name: String) -> Setting<Root>? { settings.first { $0.name == name } }

    /// The keys that a STYLE message carries, in their order on the wire.
    /// - Precondition: the positions are 0, 1, 2, … with none missing or repeated.
    public var wireOrder: [Setting<Root>] {
        let carried = settings.filter { $0.wirePosition != nil }.sorted { $0.wirePosition! < $1.wirePosition! }
        precondition(carried.map(\.wirePosition!) == Array(carried.indices), "wire positions must be 0, 1, 2, …")
        return carried
    }

    /// `key=value` lines in the canonical text, sorted by key: the settings' part of a job hash.
    public func canonicalLines(of root: Root) -> [String] {
        settings.map { "\($0.name)=\($0.value(in: root).text)" }.sorted()
    }

    /// The first key whose value is out of its declared range.
    /// - Throws: `TransferError.setting` naming the key and the reason.
    public func checkRanges(of root: Root) throws {
        for setting in settings {
            if let reason = setting.problem(in: root) { throw TransferError.setting(key: setting.name, reason: reason) }
        }
    }
}
