/// What a request's path asks the viewer for. Names and numbers are matched against a strict
/// alphabet, never used as file paths, so no path can reach a file that is not served.
enum ViewerRoute: Equatable {
    /// `/`: the gallery, or the viewer when one image is served.
    case home
    /// `/view/NAME`: the viewer page of one image.
    case viewer(name: String)
    /// `/images/NAME.dzi`: its Deep Zoom descriptor.
    case descriptor(name: String)
    /// `/images/NAME_files/LEVEL/COLUMN_ROW.EXT`: one tile.
    case tile(name: String, level: Int, column: Int, row: Int, fileExtension: String)
    /// `/metrics`: Prometheus's text format.
    case metrics
    /// `/status.json`: a live run's state (`LiveStatus`).
    case status
    /// `/live/canvas.png`: a live run's current level, small (`LiveOverview`).
    case liveCanvas
    /// `/live/levels/N.png`: the preview of a live run's finished level N (from 1).
    case levelPreview(level: Int)
    /// Anything else.
    case unknown

    /// The route of `path` (the request target without its query).
    init(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch parts.count {
        case 1 where parts[0].isEmpty: self = .home
        case 1 where parts[0] == "metrics": self = .metrics
        case 1 where parts[0] == "status.json": self = .status
        case 2 where parts[0] == "live" && parts[1] == "canvas.png": self = .liveCanvas
        case 3 where parts[0] == "live" && parts[1] == "levels" && parts[2].hasSuffix(".png"):
            let level = Self.number(parts[2].dropLast(".png".count))
            self = level.map { .levelPreview(level: $0) } ?? .unknown
        case 2 where parts[0] == "view" && Self.isName(parts[1]): self = .viewer(name: parts[1])
        case 2 where parts[0] == "images" && parts[1].hasSuffix(".dzi"):
            let name = String(parts[1].dropLast(".dzi".count))
            self = Self.isName(name) ? .descriptor(name: name) : .unknown
        case 4 where parts[0] == "images" && parts[1].hasSuffix("_files"):
            self = Self.tile(name: String(parts[1].dropLast("_files".count)), level: parts[2], file: parts[3])
        default: self = .unknown
        }
    }

    /// A short label for metrics (never the path itself, which would make one series per URL).
    var label: String {
        switch self {
        case .home: return "home"
        case .viewer: return "viewer"
        case .descriptor: return "descriptor"
        case .tile: return "tile"
        case .metrics: return "metrics"
        case .status: return "status"
        case .liveCanvas: return "canvas"
        case .levelPreview: return "preview"
        case .unknown: return "unknown"
        }
    }

    private static func tile(name: String, level: String, file: String) -> ViewerRoute {
        let pieces = file.split(separator: ".", omittingEmptySubsequences: false)
        guard isName(name), pieces.count == 2, let level = number(level) else { return .unknown }
        let position = pieces[0].split(separator: "_", omittingEmptySubsequences: false)
        guard position.count == 2, let column = number(position[0]), let row = number(position[1]) else {
            return .unknown
        }
        return .tile(name: name, level: level, column: column, row: row, fileExtension: String(pieces[1]))
    }

    /// A decimal number of at most six digits (no sign, no overflow, no leading `+`).
    private static func number(_ text: some StringProtocol) -> Int? {
        guard (1...6).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// Whether `text` is a served name's alphabet: ASCII letters, digits, `-`, `_`, `.`, not `.`/`..`.
    static func isName(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix(".")
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
