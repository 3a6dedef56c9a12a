import Foundation
import Pipeline
import Transfer

/// The effective settings as a YAML configuration file (`stylize --dump-config`): every key of
/// `StylizeSettings.keys` in `Configs/default.yaml`'s order, so that the dump read back with
/// `--config` gives the same settings.
extension StylizeSettings {
    var yaml: String {
        let transfer = self.transfer
        func number(_ value: Float) -> String {
            value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : "\(value)"
        }
        func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
        var lines: [String] = []
        for key in TransferSettings.keys {
            let value: String
            switch key {
            case "mode": value = transfer.mode.rawValue
            case "content_weight": value = number(transfer.contentWeight)
            case "style_weight": value = number(transfer.styleWeight)
            case "tv_weight": value = number(transfer.tvWeight)
            case "chroma_tv_weight": value = number(transfer.chromaTVWeight)
            case "semantic_weight": value = number(transfer.semanticWeight)
            case "illumination_weight": value = number(transfer.illuminationWeight)
            case "style_layers": value = list(transfer.styleLayers)
            case "shallow_layers": value = list(transfer.shallowLayers)
            case "shallow_weight": value = number(transfer.shallowWeight)
            case "content_layer": value = transfer.contentLayer
            case "coarse_size": value = String(transfer.coarseSize)
            case "iterations": value = list(transfer.iterations.map(String.init))
            case "search": value = transfer.search.rawValue
            case "pooling": value = transfer.pooling.rawValue
            case "style_scale": value = number(transfer.styleScale)
            case "style_max_side": value = String(transfer.styleMaxSide)
            case "segments": value = String(transfer.segments)
            case "seed": value = String(transfer.seed)
            case "init": value = transfer.initialisation.rawValue
            default: preconditionFailure("the key \(key) has no YAML form: add it here")
            }
            lines.append("\(key): \(value)")
        }
        lines.append("colour_finish: \(number(colourFinish))")
        lines.append("preserve_colors: \(preserveColors)")
        lines.append("\(TileSettings.section):")
        for (key, value) in zip(TileSettings.keys, [tile.size, tile.overlap, tile.halo, tile.rounds]) {
            lines.append("  \(key): \(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
