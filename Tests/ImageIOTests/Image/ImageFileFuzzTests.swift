import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

/// Deterministic fuzzing: byte-mutated PNG, TIFF, JPEG and WebP files from fixed seeds must each be decoded
/// or refused with an `ImageIOError`: no crash, no hang, no other error.
final class ImageFileFuzzTests: XCTestCase {
    static let mutantsPerSeedFile = 500

    func testMutatedImageFilesAreDecodedOrRefusedCleanly() throws {
        let folder = try TemporaryDirectory()
        var seeds: [(name: String, bytes: [UInt8])] = []
        let rgb = patternRaster(width: 24, height: 20, layout: .rgb, bitDepth: .eight)
        try PNGFile.write(rgb, to: folder.path("seed.png"))
        try PNGFile.write(
            patternRaster(width: 17, height: 9, layout: .grayAlpha, bitDepth: .sixteen), to: folder.path("seed16.png"))
        let tiled = patternRaster(width: 40, height: 24, layout: .rgb, bitDepth: .eight)
        try TiledTIFFWriter.write(
            to: folder.path("seed.tif"), width: 40, height: 24, layout: .rgb, bitDepth: .eight,
            options: TiledTIFFWriter.Options(tileSize: 16, pyramidLevels: 1)
        ) { writer in
            for tile in tiled.bounds.tiles(width: 16, height: 16) {
                try writer.write(tiled.cropped(to: tile), column: tile.x / 16, row: tile.y / 16)
            }
        }
        _ = try ReferenceImages.tifffile(
            folder.path("seed-strips.tif"), width: 30, height: 20, channels: 1, bits: 16,
            options: "rowsperstrip=4")
        try JPEGFile.write(rgb, to: folder.path("seed.jpg"), quality: 80)
        try WebPFile.write(rgb, to: folder.path("seed.webp"), quality: 80)
        let rgba = patternRaster(width: 12, height: 10, layout: .rgba, bitDepth: .eight)
        try WebPFile.write(rgba, to: folder.path("seed-lossless.webp"), quality: 100)
        let seedNames = [
            "seed.png", "seed16.png", "seed.tif", "seed-strips.tif", "seed.jpg", "seed.webp", "seed-lossless.webp",
        ]
        for name in seedNames {
            seeds.append((name, [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder.path(name))))))
        }

        var outcomes: [String: Int] = [:]
        var generator = SplitMix64(seed: 20_261_127)
        let limits = ImageLimits(maxInMemoryPixels: 1 << 20, maxChunkBytes: 1 << 22)
        let path = folder.path("mutant")
        for seed in seeds {
            for index in 0..<Self.mutantsPerSeedFile {
                let mutant = Self.mutate(
                    seed.bytes, using: &generator, fixingPNGChecksums: seed.name.hasSuffix(".png") && index % 2 == 0)
                try Data(mutant).write(to: URL(fileURLWithPath: path))
                let start = Date()
                do {
                    let source = try ImageFile.open(path, limits: limits)
                    // The cheap storage check must also fail cleanly, but the decoder still gets
                    // every mutant that opens, truncated or not.
                    do { try source.verifyStorage() } catch is ImageIOError {}
                    _ = try ImageStatistics.compute(source)
                    outcomes["decoded", default: 0] += 1
                } catch let error as ImageIOError {
                    outcomes[String("\(error)".split(separator: ":").dropFirst().first ?? "?"), default: 0] += 1
                    XCTAssertFalse(error.description.contains("\n"))
                } catch {
                    XCTFail("\(seed.name) mutant \(index): not an ImageIOError: \(error)")
                }
                XCTAssertLessThan(Date().timeIntervalSince(start), 1, "\(seed.name) mutant \(index) took too long")
            }
        }
        print("fuzz outcomes: \(outcomes.sorted { $0.key < $1.key })")
        let total = outcomes.values.reduce(0, +)
        XCTAssertEqual(total, seeds.count * Self.mutantsPerSeedFile)
        XCTAssertGreaterThanOrEqual(total, 3500)  // 1000 PNG, 1000 TIFF, 500 JPEG and 1000 WebP mutants
        // Both ways out happen: mutants that still decode, and refusals.
        XCTAssertGreaterThan(outcomes["decoded", default: 0], 0, "\(outcomes)")
        XCTAssertLessThan(outcomes["decoded", default: 0], total, "\(outcomes)")
    }

    /// One mutant: a few bytes overwritten, sometimes a truncation, an insertion or a deletion.
    static func mutate(_ bytes: [UInt8], using generator: inout SplitMix64, fixingPNGChecksums: Bool) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            let position = Int.random(in: 0..<result.count, using: &generator)
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: result.removeSubrange(position...)  // truncate
            case 1: result.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            case 2: result.remove(at: position)
            case 3: result[position] = [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &generator)]
            default: result[position] = UInt8.random(in: 0...255, using: &generator)
            }
            if result.isEmpty { break }
        }
        return fixingPNGChecksums ? PNGChunks.withValidChecksums(result) : result
    }
}

/// Recomputes every chunk's CRC so that mutations reach libpng's decoding, not only its CRC check.
enum PNGChunks {
    static func withValidChecksums(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        var offset = 8
        while offset + 12 <= result.count {
            let length = result[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 8 + length
            guard length >= 0, end + 4 <= result.count else { break }
            let crc = crc32(result[offset + 4..<end])
            for byte in 0..<4 { result[end + byte] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * byte)) }
            offset = end + 4
        }
        return result
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
