import ArgumentParser
import Foundation
import ImageIO

/// `atelier info FILE [--stats] [--json]`: what an image file holds (format, size, channels,
/// bits, tiling, compression, pyramid), read from its header; with `--stats`, per-channel
/// minimum, maximum and mean from a region-by-region decode whose memory does not grow with the
/// image.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show an image's format, size, channels, bits, tiling, compression and pyramid levels.")

    @Argument(help: "A PNG, JPEG, WebP, TIFF or BigTIFF file.")
    var file: String

    @Flag(help: "Decode the whole image (region by region) and print per-channel min, max and mean.")
    var stats = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Refuse in-memory decodes (a whole PNG, one TIFF region) above this many pixels.")
    var maxPixels = ImageLimits.default.maxInMemoryPixels

    func validate() throws {
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
    }

    func run() throws {
        var limits = ImageLimits.default
        limits.maxInMemoryPixels = maxPixels
        let source = try ImageFile.open(file, limits: limits)
        // A truncated file is caught here without decoding (TIFF: its strip/tile table; PNG:
        // its chunk lengths); corrupt data inside still needs --stats to show.
        try source.verifyStorage()
        let statistics = stats ? try ImageStatistics.compute(source) : nil
        let report = InfoReport(file: file, info: source.info, statistics: statistics)
        print(json ? try report.json() : report.text())
    }
}
