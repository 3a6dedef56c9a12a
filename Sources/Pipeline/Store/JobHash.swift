import Foundation

/// The identity of a job: SHA-256 of its canonical content, so that a resumed run can tell that it
/// is given the job it checkpointed. Canonical means independent of how the job file is written:
/// key order, comments, spacing, quoting and `20` versus `20.0` do not change the hash; any value
/// that changes the result does.
///
/// A job's hash (`of(settings:job:)`) is the SHA-256 of UTF-8 lines `key=value`, sorted by byte
/// and each ended by a newline: one line per configuration key of the settings schema, its value
/// in the schema's canonical text (`SettingValue.text`: `content_weight=300`, `iterations=[80, 40,
/// 20]`, `tile.size=512`), and one line per further key of the job (inputs, output, size) with
/// its value in `canonicalText(of:)`. Adding a setting adds a line, so the jobs of older builds
/// hash differently (their run directories' manifests are of format 1, refused with that reason).
public enum JobHash {
    /// The hex SHA-256 of `canonicalText(of: job)`.
    /// - Parameter job: the parsed job (a mapping from keys to YAML values: `[String: Any]`,
    ///   `[Any]`, `String`, `Int`, `Double`, `Bool`, or nil), with any input fingerprints the
    ///   caller wants bound to the run added as further keys.
    public static func of(_ job: Any?) -> String { SHA256.hex(of: canonicalText(of: job).utf8) }

    /// The hex SHA-256 of `lines(settings:job:)`.
    /// - Parameters:
    ///   - settings: `key=value` lines of the settings (`SettingsSchema.canonicalLines(of:)`).
    ///   - job: the job's further keys, each with a value as `of(_:)` takes it.
    public static func of(settings: [String], job: [String: Any?]) -> String {
        SHA256.hex(of: text(settings: settings, job: job).utf8)
    }

    /// The text that `of(settings:job:)` hashes.
    public static func text(settings: [String], job: [String: Any?]) -> String {
        let lines = settings + job.map { "\($0.key)=\(canonicalText(of: $0.value))" }
        return lines.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { $0 + "\n" }.joined()
    }

    /// A JSON-like text with sorted keys, no spaces and numbers in one spelling.
    public static func canonicalText(of value: Any?) -> String {
        switch unwrapped(value) {
        case nil, is NSNull: return "null"
        case let mapping as [String: Any]:
            let fields = mapping.keys.sorted().map { "\(quoted($0)):\(canonicalText(of: mapping[$0]!))" }
            return "{\(fields.joined(separator: ","))}"
        case let mapping as [AnyHashable: Any]:
            // YAML allows non-string keys; spell them as strings so that the text stays well defined.
            return canonicalText(of: Dictionary(uniqueKeysWithValues: mapping.map { ("\($0.key)", $0.value) }))
        case let list as [Any]: return "[\(list.map { canonicalText(of: $0) }.joined(separator: ","))]"
        case let flag as Bool: return flag ? "true" : "false"
        case let number as Int: return String(number)
        case let number as Double:
            if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
            return number.description
        case let number as Float: return canonicalText(of: Double(number))
        case let text as String: return quoted(text)
        case let other?: return quoted(String(describing: other))
        }
    }

    /// `value` with any optionals nested inside an `Any` taken off (`[String: Any?]` values).
    private static func unwrapped(_ value: Any?) -> Any? {
        guard let value else { return nil }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.flatMap { unwrapped($0.value) }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
