/// The kinds of setting, each with how a YAML value is read into it and the errors that name
/// what was expected. Values arrive as `Yams.load` gives them: Int, Double, String, Bool, [Any].
extension Setting {
        /// A Float, from any YAML number; `range` limits it at validation.
    public static func number(
        _ name: String, _ path: WritableKeyPath<Root, Float> & Sendable, _ range: NumberRange = .any,
        wire: Int?, help: String
    ) -> Setting {
        Setting(
            name, kind: .number, wire: wire, help: help,
            read: { .number($0[keyPath: path]) },
            write: { root, value in
                if case .number(let number) = value { root[keyPath: path] = number }
                return nil
            },
            parse: { yaml in
                YAMLValue.number(yaml).map { .success(.number($0)) }
                    ?? .failure(SettingRefusal(reason: "expected a number, got '\(yaml)'"))
            },
            check: { value in
                guard case .number(let number) = value else { return nil }
                return range.problem(with: number)
            })
    }

    /// A Float from 0 to 1, where `true` and `false` are 1 and 0; checked as it is read.
    public static func fraction(
        _ name: String, _ path: WritableKeyPath<Root, Float> & Sendable, wire: Int?, help: String
    ) -> Setting {
        Setting(
            name, kind: .number, wire: wire, help: help,
            read: { .number($0[keyPath: path]) },
            write: { root, value in
                if case .number(let number) = value { root[keyPath: path] = number }
                return nil
            },
            parse: { yaml in
                let strength = (yaml as? Bool).map { $0 ? Float(1) : 0 } ?? YAMLValue.number(yaml)
                guard let strength, strength >= 0 && strength <= 1 else {
                    return .failure(SettingRefusal(reason: "expected a number from 0 to 1 (or true, false), got '\(yaml)'"))
                }
                return .success(.number(strength))
            })
    }

    /// An Int (a YAML integer, or a number without a fraction); `range` limits it at validation.
    public static func integer(
        _ name: String, _ path: WritableKeyPath<Root, Int> & Sendable, _ range: ClosedRange<Int>? = nil,
        wire: Int?, help: String
    ) -> Setting {
        Setting(
            name, kind: .integer, wire: wire, help: help,
            read: { .integer($0[keyPath: path]) },
            write: { root, value in
                if case .integer(let integer) = value { root[keyPath: path] = integer }
                return nil
            },
            parse: { yaml in
                YAMLValue.integer(yaml).map { .success(.integer($0)) }
                    ?? .failure(SettingRefusal(reason: "expected an integer, got '\(yaml)'"))
            },
            check: { value in
                guard case .integer(let integer) = value, let range, !range.contains(integer) else { return nil }
                return "must be between \(range.lowerBound) and \(range.upperBound), not \(integer)"
            })
    }

    /// A UInt64 (a seed), from a YAML integer ≥ 0.
    public static func unsigned(
        _ name: String, _ path: WritableKeyPath<Root, UInt64> & Sendable, wire: Int?, help: String
    ) -> Setting {
        Setting(
            name, kind: .unsigned, wire: wire, help: help,
            read: { .unsigned($0[keyPath: path]) },
            write: { root, value in
                if case .unsigned(let unsigned) = value { root[keyPath: path] = unsigned }
                return nil
            },
            parse: { yaml in
                guard let parsed = YAMLValue.integer(yaml) else {
                    return .failure(SettingRefusal(reason: "expected an integer, got '\(yaml)'"))
                }
                guard parsed >= 0 else { return .failure(SettingRefusal(reason: "must be ≥ 0, not \(parsed)")) }
                return .success(.unsigned(UInt64(parsed)))
            })
    }

    /// A word (a layer name); which words are known is checked against the network at validation.
    public static func word(
        _ name: String, _ path: WritableKeyPath<Root, String> & Sendable, wire: Int?, help: String
    ) -> Setting {
        Setting(
            name, kind: .word, wire: wire, help: help,
            read: { .word($0[keyPath: path]) },
            write: { root, value in
                if case .word(let word) = value { root[keyPath: path] = word }
                return nil
            },
            parse: { yaml in
                (yaml as? String).map { .success(.word($0)) }
                    ?? .failure(SettingRefusal(reason: "expected a word, got '\(yaml)'"))
            })
    }

    /// One of the cases of `Choice`, by its raw value.
    public static func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ path: WritableKeyPath<Root, Choice> & Sendable, wire: Int?, help: String
    ) -> Setting where Choice.RawValue == String {
        Setting(
            name, kind: .word, choices: Choice.allCases.map(\.rawValue), wire: wire, help: help,
            read: { .word($0[keyPath: path].rawValue) },
            write: { root, value in
                guard case .word(let word) = value else { return nil }
                guard let choice = Choice(rawValue: word) else {
                    let known = Choice.allCases.map(\.rawValue).joined(separator: ", ")
                    return "unknown value '\(word)' (expected one of \(known))"
                }
                root[keyPath: path] = choice
                return nil
            },
            parse: { yaml in
                (yaml as? String).map { .success(.word($0)) }
                    ?? .failure(SettingRefusal(reason: "expected a word, got '\(yaml)'"))
            })
    }

    /// A list of words (a single word is a list of one).
    public static func words(
        _ name: String, _ path: WritableKeyPath<Root, [String]> & Sendable, wire: Int?, help: String
    ) -> Setting {
        Setting(
            name, kind: .words, wire: wire, help: help,
            read: { .words($0[keyPath: path]) },
            write: { root, value in
                if case .words(let words) = value { root[keyPath: path] = words }
                return nil
            },
            parse: { yaml in
                YAMLValue.list(yaml) { $0 as? String }.map { .success(.words($0)) }
                    ?? .failure(SettingRefusal(reason: "expected a list, got '\(yaml)'"))
            })
    }

    /// A list of integers (a single integer is a list of one), at least one, each in `each`.
    public static func integers(
        _ name: String, _ path: WritableKeyPath<Root, [Int]> & Sendable, each: ClosedRange<Int>, wire: Int?,
        help: String
    ) -> Setting {
        Setting(
            name, kind: .integers, wire: wire, help: help,
            read: { .integers($0[keyPath: path]) },
            write: { root, value in
                if case .integers(let integers) = value { root[keyPath: path] = integers }
                return nil
            },
            parse: { yaml in
                YAMLValue.list(yaml) { ($0 as? Int) ?? ($0 as? Double).flatMap { $0 == $0.rounded() ? Int($0) : nil } }
                    .map { .success(.integers($0)) } ?? .failure(SettingRefusal(reason: "expected a list, got '\(yaml)'"))
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
        Setting(
            name, kind: .flag, wire: wire, help: help,
            read: { .flag($0[keyPath: path]) },
            write: { root, value in
                if case .flag(let flag) = value { root[keyPath: path] = flag }
                return nil
            },
            parse: { yaml in
                (yaml as? Bool).map { .success(.flag($0)) }
                    ?? .failure(SettingRefusal(reason: "expected true or false, got '\(yaml)'"))
            })
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
