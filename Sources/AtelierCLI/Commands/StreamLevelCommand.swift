import ArgumentParser
import Dispatch
import Foundation
import ImageIO
import Pipeline

/// `atelier stream-level` (hidden, for `Scripts/bench-streaming`): the coordinator's bounded-memory
/// input and output path on its own. Streams one pyramid level of a content file through
/// `LevelContentSource` into a canvas file, then writes that canvas with `LevelOutputWriter`
/// (tiled BigTIFF with pyramid, at the content's bit depth), and prints the time of each step.
struct StreamLevelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-level",
        abstract: "Stream one level of a content file into a canvas and write it out (benchmark).",
        shouldDisplay: false)

    @Option(help: "The content file (PNG or TIFF).") var content: String
    @Option(help: "The level's long side in pixels (default: half the content's).") var size: Int?
    @Option(help: "The canvas file to fill (replaced).") var canvas: String
    @Option(help: "The output file.") var out: String
    @Option(help: "The output format: tiff or png.") var format = LevelOutputWriter.Format.tiff
    @Option(help: "Canvas precision: float16 or float32.") var precision = CanvasPrecision.float16

    func validate() throws {
        if let size, size <= 0 { throw ValidationError("--size must be positive") }
    }

    func run() throws {
        let source = try ImageFile.open(content)
        let long = max(source.info.width, source.info.height)
        let scale = Double(size ?? (long + 1) / 2) / Double(long)
        let width = max(1, Int((Double(source.info.width) * scale).rounded()))
        let height = max(1, Int((Double(source.info.height) * scale).rounded()))
        let level = LevelContentSource(source: source, width: width, height: height)
        let file = try CanvasFile.create(at: canvas, channels: 3, width: width, height: height, precision: precision)
        var start = DispatchTime.now().uptimeNanoseconds
        func lap() -> Double {
            let now = DispatchTime.now().uptimeNanoseconds
            defer { start = now }
            return Double(now - start) / 1e9
        }
        try level.materialise(into: file)
        print("stream-level: \(source.info.width)x\(source.info.height) → \(width)x\(height) into \(canvas):"
              + " \(String(format: "%.1f", lap())) s")
        try LevelOutputWriter.write(file, to: out, format: format, bitDepth: level.bitDepth)
        print("stream-level: wrote \(out) (\(format.rawValue), \(level.bitDepth.rawValue)-bit):"
              + " \(String(format: "%.1f", lap())) s")
        try file.close()
    }
}

extension LevelOutputWriter.Format: ExpressibleByArgument {}
extension CanvasPrecision: ExpressibleByArgument {}
