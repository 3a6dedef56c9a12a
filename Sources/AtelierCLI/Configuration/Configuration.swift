import Foundation
import Pipeline
import Transfer
import Yams

/// The configuration of a run: the defaults of `StylizeSettings` (documented key by key in
/// `Configs/default.yaml`), then a YAML file (`--config`), then `--set key=value` overrides,
/// then the dedicated flags. Unknown keys are errors that name them; nested keys are written
/// with dots on the command line (`--set tile.size=256`) and as mappings in files.
enum Configuration {
    /// Reads a YAML mapping of configuration keys from `path` into `settings`.
    /// - Throws: `UsageError` naming the file and the reason (unreadable, not a mapping, bad key).
    static func apply(file path: String, to settings: inout StylizeSettings) throws {
        let mapping = try self.mapping(file: path, what: "configuration file")
        for key in mapping.keys.sorted() {
            do {
                try settings.set(key, to: mapping[key]!)
            } catch let error as TransferError {
                throw UsageError("\(path): \(error)")
            }
        }
    }

    /// The top-level mapping of the YAML file at `path` (empty for an empty file), read through
    /// `YAMLDocument`: at most 1 MiB, no aliases, no repeated keys.
    /// - Throws: `UsageError` naming the file: unreadable, too large, not valid YAML, an alias or a
    ///   repeated key, not a mapping.
    static func mapping(file path: String, what: String) throws -> [String: Any] {
        let parsed = try YAMLDocument.load(YAMLDocument.text(ofFile: path, what: what), source: path)
        guard let mapping = parsed as? [String: Any] else {
            if parsed == nil { return [:] }  // an empty file sets nothing
            throw UsageError("\(path): expected a mapping of \(what.replacingOccurrences(of: " file", with: "")) keys")
        }
        return mapping
    }

    /// Every configuration key with its default and its help, one a line (`stylize --help`).
    static var keys: String {
        let defaults = StylizeSettings()
        return StylizeSettings.schema.settings.map { setting in
            "\(setting.name) (default \(setting.value(in: defaults).text)): \(setting.help)"
        }.joined(separator: "\n")
    }

    /// Applies one `--set key=value` override; the value is parsed as YAML (`[100, 50]`, `0.5`, `dss`).
    static func apply(override: String, to settings: inout StylizeSettings) throws {
        guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
            throw UsageError("--set \(override): expected key=value")
        }
        let key = String(override[..<equals]).trimmingCharacters(in: .whitespaces)
        let text = String(override[override.index(after: equals)...])
        guard let value = try YAMLDocument.load(text, source: "--set \(key)") else {
            throw UsageError("--set \(key): missing value")
        }
        try settings.set(key, to: value)
    }
}
