import Foundation
import Pipeline
import Transfer

/// The effective settings as a YAML configuration file (`stylize --dump-config`): every key of
/// `StylizeSettings.schema` in `Configs/default.yaml`'s order, each in its canonical text, so that
/// the dump read back with `--config` gives the same settings.
extension StylizeSettings {
    var yaml: String {
        let section = TileSettings.section + "."
        var lines: [String] = []
        for setting in Self.schema.settings {
            let value = setting.value(in: self).text
            if setting.name.hasPrefix(section) {
                if !lines.contains(TileSettings.section + ":") { lines.append(TileSettings.section + ":") }
                lines.append("  \(setting.name.dropFirst(section.count)): \(value)")
            } else {
                lines.append("\(setting.name): \(value)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
