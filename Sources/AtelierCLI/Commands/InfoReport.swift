import Foundation
import ImageIO

/// What `atelier info` prints, as text for people and as JSON for scripts (the keys are part of
/// the command-line contract).
struct InfoReport: Encodable {
    struct Level: Encodable {
        var width: Int
        var height: Int
    }

    struct Statistics: Encodable {
        var channel: String
        var min: Int
        var max: Int
        var mean: Double
    }

    var file: String
    var format: String
    var width: Int
    var height: Int
    var channels: Int
    var layout: String
    var bitsPerSample: Int
    var tiling: String
    var tileWidth: Int?
    var tileHeight: Int?
    var rowsPerStrip: Int?
    var compression: String
    var planar: Bool
    var interlaced: Bool
    var pyramidLevels: Int
    var levels: [Level]
    var statistics: [Statistics]?

    init(file: String, info: ImageInfo, statistics: [ChannelStatistics]?) {
        self.file = file
        format = info.format.rawValue
        width = info.width
        height = info.height
        channels = info.layout.channelCount
        layout = info.layout.description
        bitsPerSample = info.bitDepth.rawValue
        tiling = info.tiling.description
        switch info.tiling {
        case .tiles(let width, let height): (tileWidth, tileHeight) = (width, height)
        case .strips(let rows): rowsPerStrip = rows
        case .none: break
        }
        compression = info.compression
        planar = info.planar
        interlaced = info.interlaced
        pyramidLevels = info.pyramid.count
        levels = info.pyramid.map { Level(width: $0.width, height: $0.height) }
        let names = Self.channelNames(info.layout)
        self.statistics = statistics.map {
            zip(names, $0).map { Statistics(channel: $0, min: $1.minimum, max: $1.maximum, mean: $1.mean) }
        }
    }

    static func channelNames(_ layout: ChannelLayout) -> [String] {
        switch layout {
        case .gray: return ["gray"]
        case .grayAlpha: return ["gray", "alpha"]
        case .rgb: return ["red", "green", "blue"]
        case .rgba: return ["red", "green", "blue", "alpha"]
        }
    }

    func text() -> String {
        var lines = [
            "file: \(file)",
            "format: \(format)",
            "size: \(width)x\(height)",
            "channels: \(channels) (\(layout))",
            "bits per sample: \(bitsPerSample)",
            "tiling: \(tiling)",
            "compression: \(compression)",
        ]
        if planar { lines.append("planar: separate") }
        if interlaced { lines.append("interlaced: adam7") }
        lines.append(
            "pyramid levels: \(pyramidLevels) (\(levels.map { "\($0.width)x\($0.height)" }.joined(separator: ", ")))")
        for entry in statistics ?? [] {
            lines.append(
                "\(entry.channel): min \(entry.min) max \(entry.max) mean \(String(format: "%.4f", entry.mean))")
        }
        return lines.joined(separator: "\n")
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
