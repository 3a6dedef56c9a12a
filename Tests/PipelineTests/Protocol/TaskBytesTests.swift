import Foundation
import ImageIO
import Semantics
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

/// The bytes a 512² tile costs on the wire at `Configs/gigapixel.yaml`'s tile settings (core 512,
/// overlap 32, halo 48: a 672² context) with the automatic DSS (segmentation and illumination), at
/// the finest level of a job (where three quarters of a pyramid's tiles are: the content at its
/// native 8-bit samples) and at the level below (the content area-averaged, so Float32).
/// Protocol version 2 sent every tensor as Float32; the figures are printed for the record.
final class TaskBytesTests: XCTestCase {
    /// An 8-bit content larger than one 672² context: the astronaut mirrored into 2048×1536.
    private static func contentFile() throws -> String {
        let tile = try ImageFile.open(Fixtures.samples.appendingPathComponent("content/astronaut.png").path).readAll()
        let (width, height) = (2048, 1536)
        var samples = [Float](repeating: 0, count: 3 * width * height)
        for channel in 0..<3 {
            for y in 0..<height {
                let sy = (y / tile.height) % 2 == 0 ? y % tile.height : tile.height - 1 - y % tile.height
                for x in 0..<width {
                    let sx = (x / tile.width) % 2 == 0 ? x % tile.width : tile.width - 1 - x % tile.width
                    samples[(channel * height + y) * width + x] = tile[sx, sy, channel]
                }
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("task-bytes-\(getpid()).png").path
        try PNGFile.write(Raster(width: width, height: height, layout: .rgb, samples: samples), to: path)
        return path
    }

    /// Protocol version 2's bytes for `tensors`: a 12-byte header and four bytes a value each.
    private static func float32Bytes(_ tensors: [Tensor]) -> Int { tensors.reduce(0) { $0 + 12 + 4 * $1.count } }

    private static func wireBytes(_ tensors: [Tensor]) -> Int {
        tensors.reduce(0) { total, tensor in
            var writer = ByteWriter()
            writer.append(tensor)
            return total + writer.bytes.count
        }
    }

    func testATaskAtGigapixelSettingsTakesAThirdOfItsFloat32BytesAndArrivesBitForBit() throws {
        let path = try Self.contentFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = StylizeSettings.gigapixel
        let style = try ImageFile.open(Fixtures.samples.appendingPathComponent("style/shipwreck.jpg").path)
            .readAll().rgbTensor()
        let source = try ImageFile.open(path)
        let semantics = try ContentSemantics(content: source, style: style, settings: settings.transfer)
        XCTAssertEqual(semantics.groupChannels, [settings.transfer.segments, 2])
        let inputs = StreamingJobInputs(content: source, style: style, semantics: semantics)
        let plan = LevelPlan(
            width: 2048, height: 1536, transfer: settings.transfer, tile: settings.tile,
            alignment: try settings.geometry(of: .vgg16).alignment)
        for level in plan.levels.suffix(2) {
            let grid = level.rounds[0].grid
            // The largest context: 672² inside the finest level, clipped by the edges of the smaller one.
            let tile = grid.tiles.max { $0.context.width * $0.context.height < $1.context.width * $1.context.height }!
            let finest = level.index == plan.levels.last!.index
            if finest { XCTAssertEqual([tile.context.width, tile.context.height], [672, 672]) }
            let sources = try inputs.sources(at: level, settings: settings.transfer)
            // The canvas a level starts from: the content of the level below, enlarged (Float32, smooth).
            let below = try sources.content(PixelRect(width: level.width, height: level.height))
            let canvas = MemoryCanvas(MultiScaleStylizer.resized(
                MultiScaleStylizer.resized(below, width: level.width / 2, height: level.height / 2),
                width: level.width, height: level.height))
            let key = TileResultKey(job: "bytes", level: level.index, round: 0, tile: tile.index)
            let clock = ContinuousClock()
            let task = try sources.task(
                key: key, tile: tile, canvas: canvas, styleSet: 1, iterations: 3, seed: 5, quantisesGuides: true)
            var frame: [UInt8] = []
            let encoding = clock.measure { frame = Message.task(task).encoded() }
            guard case .task(let decoded) = try Message.decode(frame) else { return XCTFail("not a task") }
            for (sent, received) in zip([task.initial, task.content] + task.contentSemantics,
                                        [decoded.initial, decoded.content] + decoded.contentSemantics) {
                XCTAssertEqual(received.shape, sent.shape)
                XCTAssertEqual(received.array.map(\.bitPattern), sent.array.map(\.bitPattern))
            }
            let tensors = [task.initial, task.content] + task.contentSemantics
            let before = frame.count - Self.wireBytes(tensors) + Self.float32Bytes(tensors)
            let result = try PassThroughTileComputation().solve(task)
            let resultFrame = Message.result(result).encoded()
            let resultBefore = resultFrame.count - Self.wireBytes([result.pixels]) + Self.float32Bytes([result.pixels])
            let parts = zip(["canvas", "content", "segmentation", "illumination"], tensors).map { name, tensor in
                "\(name) \(Self.wireBytes([tensor]))/\(Self.float32Bytes([tensor]))"
            }
            print("""
                task bytes, level \(level.index) (\(level.width)x\(level.height)), \
                \(tile.context.width)x\(tile.context.height) context: \
                TASK \(before) → \(frame.count) (\(String(format: "%.3f", Double(frame.count) / Double(before)))), \
                RESULT \(resultBefore) → \(resultFrame.count) \
                (\(String(format: "%.3f", Double(resultFrame.count) / Double(resultBefore)))); \
                \(parts.joined(separator: ", ")); encoding \(encoding)
                """)
            XCTAssertLessThanOrEqual(resultFrame.count, resultBefore)
            if finest {
                XCTAssertLessThanOrEqual(3 * frame.count, before, "a task at the finest level")
            }
        }
    }
}
