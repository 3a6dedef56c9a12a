/// The kinds of setting, each with how a YAML value is read into it and the errors that name
/// what was expected. Values arrive as `Yams.load` gives them: Int, Double, String, Bool, [Any].
extension Setting {
    /// A Float, from any YAML number; `range` limits it at validation.
    public static func number(
        _ name: String, _ path: WritableKeyPath<Root, Float> & Sendable, _ range: NumberRange = .any,
        wire: Int?, help: String
    ) -> Setting {
        field(
            name, path, kind: .number, wire: wire, help: help, show: SettingValue.number,
            take: { if case .number(let number) = $0 { number } else { nil } },
            parse: { yaml in expecting("a number", yaml, YAMLValue.number(yaml).map(SettingValue.number)) },
            check: { if case .number(let number) = $0 { range.problem(with: number) } else { nil } })
    }

    /// A Float from 0 to 1, where `true` and `false` are 1 and 0; checked as it is read.
    public static func fraction(
        _ name: String, _ path: WritableKeyPath<Root, Float> & Sendable, wire: Int?, help: String
    ) -> Setting {
        field(
            name, path, kind: .number, wire: wire, help: help, show: SettingValue.number,
            take: { if case .number(let number) = $0 { number } else { nil } },
            parse: { yaml in
                let strength = (yaml as? Bool).map { $0 ? Float(1) : 0 } ?? YAMLValue.number(yaml)
                guard let strength, strength >= 0 && strength <= 1 else {
                    let reason = "expected a number from 0 to 1 (or true, false), got '\(yaml)'"
                    return .failure(SettingRefusal(reason: reason))
                }
                return .success(.number(strength))
            })
    }

    /// An Int (a YAML integer, or a number without a fraction); `range` limits it at validation.
    public static func integer(
        _ name: String, _ path: WritableKeyPath<Root, Int> & Sendable, _ range: ClosedRange<Int>? = nil,
        wire: Int?, help: String
    ) -> Setting {
        field(
            name, path, kind: .integer, wire: wire, help: help, show: SettingValue.integer,
            take: { if case .integer(let integer) = $0 { integer } else { nil } },
            parse: { yaml in expecting("an integer", yaml, YAMLValue.integer(yaml).map(SettingValue.integer)) },
            check: { value in
                guard case .integer(let integer) = value, let range, !range.contains(integer) else { return nil }
                return "must be between \(range.lowerBound) and \(range.upperBound), not \(integer)"
            })
    }

    /// A UInt64 (a seed), from a YAML integer ≥ 0.
    public static func unsigned(
        _ name: String, _ path: WritableKeyPath<Root, UInt64> & Sendable, wire: Int?, help: String
    ) -> Setting {
        field(
            name, path, kind: .unsigned, wire: wire, help: help, show: SettingValue.unsigned,
            take: { if case .unsigned(let unsigned) = $0 { unsigned } else { nil } },
            parse: { yaml in
                guard let parsed = YAMLValue.integer(yaml) else { return expecting("an integer", yaml, nil) }
                guard parsed >= 0 else { return .failure(SettingRefusal(reason: "must be ≥ 0, not \(parsed)")) }
                return .success(.unsigned(UInt64(parsed)))
            })
    }

    /// A word (a layer name); which words are known is checked against the network at validation.
    public static func word(
        _ name: String, _ path: WritableKeyPath<Root, String> & Sendable, wire: Int?, help: String
    ) -> Setting {
        field(
            name, path, kind: .word, wire: wire, help: help, show: SettingValue.word,
            take: { if case .word(let word) = $0 { word } else { nil } },
            parse: { yaml in expecting("a word", yaml, (yaml as? String).map(SettingValue.word)) })
    }

    /// One of the cases of `Choice`, by its raw value.
    public static func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ path: WritableKeyPath<Root, Choice> & Sendable, wire: Int?, help: String
    ) -> Setting where Choice.RawValue == String {
        field(
            name, path, kind: .word, choices: Choice.allCases.map(\.rawValue), wire: wire, help: help,
            show: { .word($0.rawValue) },
            take: { if case .word(let word) = $0 { Choice(rawValue: word) } else { nil } },
            parse: { yaml in expecting("a word", yaml, (yaml as? String).map(SettingValue.word)) })
    }

    /// A list of words (a single word is a list of one).
    public static func words(
        _ name: String, _ path: WritableKeyPath<Root, [String]> & Sendable, wire: Int?, help: String
    ) -> Setting {
        field(
            name, path, kind: .words, wire: wire, help: help, show: SettingValue.words,
            take: { if case .words(let words) = $0 { words } else { nil } },
            parse: { yaml in
                expecting("a list", yaml, YAMLValue.list(yaml) { $0 as? String }.map(SettingValue.words))
            })
    }

    /// A list of integers (a single integer is a list of one), at least one, each in `each`.
    public static func integers(
        _ name: String, _ path: WritableKeyPath<Root, [Int]> & Sendable, each: ClosedRange<Int>, wire: Int?,
        help: String
    ) -> Setting {
        field(
            name, path, kind: .integers, wire: wire, help: help, show: SettingValue.integers,
            take: { if case .integers(let integers) = $0 { integers } else { nil } },
            parse: { yaml in
                let integers = YAMLValue.list(yaml) {
                    ($0 as? Int) ?? ($0 as? Double).flatMap { $0 == $0.rounded() ? Int($0) : nil }
                }
                return expecting("a list", yaml, integers.map(SettingValue.integers))
            },
            check: { value in
                guard case .integers(let integers) = value else { return nil }
                if integers.isEmpty { return "must list at least one count" }
                if !integers.allSatisfy(each.contains) {
                    return "counts must be between \(each.lowerBound) and \(each.upperBound)"
                }
                return nil
            })
    }

    /// `true` or `false`.
    public static func flag(
        _ name: String, _ path: WritableKeyPath<Root, Bool> & Sendable, wire: Int?, help: String
    ) -> Setting {
        field(
            name, path, kind: .flag, wire: wire, help: help, show: SettingValue.flag,
            take: { if case .flag(let flag) = $0 { flag } else { nil } },
            parse: { yaml in
                (yaml as? Bool).map { .success(.flag($0)) }
                    ?? .failure(SettingRefusal(reason: "expected true or false, got '\(yaml)'"))
            })
    }

    /// A key of the field at `path`, shown as a `SettingValue` by `show` and stored from one by
    /// `take` (nil: a choice that is none of the cases).
    private static func field<Value>(
        _ name: String, _ path: WritableKeyPath<Root, Value> & Sendable, kind: SettingValue.Kind,
        choices: [String]? = nil, wire: Int?, help: String,
        show: @escaping @Sendable (Value) -> SettingValue, take: @escaping @Sendable (SettingValue) -> Value?,
        parse: @escaping @Sendable (Any) -> Result<SettingValue, SettingRefusal>,
        check: @escaping @Sendable (SettingValue) -> String? = { _ in nil }
    ) -> Setting {
        Setting(
            name, kind: kind, choices: choices, wire: wire, help: help,
            read: { show($0[keyPath: path]) },
            write: { root, value in
                guard let typed = take(value) else {
                    return "unknown value '\(value.text)' (expected one of \((choices ?? []).joined(separator: ", ")))"
                }
                root[keyPath: path] = typed
                return nil
            },
            parse: parse, check: check)
    }

    /// `value` parsed, or the refusal that says it is not `what`.
    private static func expecting(_ what: String, _ yaml: Any, _ value: SettingValue?)
        -> Result<SettingValue, SettingRefusal>
    {
        value.map { .success($0) } ?? .failure(SettingRefusal(reason: "expected \(what), got '\(yaml)'"))
    }
}
/// The values a number setting admits.
public enum NumberRange: Sendable {
    /// Any number.
    case any
    /// A finite number ≥ 0 (the weights).
    case nonNegative
    /// Above `lower` and at most `upper`.
    case above(Float, atMost: Float)

    func problem(with value: Float) -> String? {
        switch self {
        case .any:
            return nil
        case .nonNegative:
            return value.isFinite && value >= 0 ? nil : "must be a finite number ≥ 0, not \(value)"
        case .above(let lower, let upper):
            let (low, high) = (SettingValue.number(lower).text, SettingValue.number(upper).text)
            return value.isFinite && value > lower && value <= upper
                ? nil : "must be between \(low) and \(high), not \(value)"
        }
    }
}

/// Parsed YAML values as the kinds of setting need them.
private enum YAMLValue {
    /// A YAML number as a Float (nil for anything else).
    static func number(_ yaml: Any) -> Float? {
        switch yaml {
        case let value as Int: Float(value)
        case let value as Double: Float(value)
        default: nil
        }
    }

    /// A YAML integer, or a number without a fraction small enough to be one.
    static func integer(_ yaml: Any) -> Int? {
        if let value = yaml as? Int { return value }
        if let value = yaml as? Double, value == value.rounded(), abs(value) < 1e15 { return Int(value) }
        return nil
    }

    /// A YAML list whose every element `element` reads, or a single such value as a list of one.
    static func list<Element>(_ yaml: Any, _ element: (Any) -> Element?) -> [Element]? {
        if let items = yaml as? [Any] {
            let parsed = items.compactMap(element)
            return parsed.count == items.count ? parsed : nil
        }
        return element(yaml).map { [$0] }
    }
}
