import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

final class CanvasFileTests: XCTestCase {
    /// A random rectangle inside a `width`×`height` canvas.
    private func randomRect(width: Int, height: Int, using random: inout SeededRandom) -> PixelRect {
        let w = Int.random(in: 1...width, using: &random)
        let h = Int.random(in: 1...height, using: &random)
        return PixelRect(
            x: Int.random(in: 0...(width - w), using: &random), y: Int.random(in: 0...(height - h), using: &random),
            width: w, height: h)
    }

    /// Random rectangle writes and reads agree with an in-memory reference (for Float16, the
    /// reference holds the values rounded to half), before and after closing and reopening.
    func testRandomRectanglesRoundTripAgainstAnInMemoryReferenceAndPersist() throws {
        let folder = try TemporaryDirectory()
        let (channels, width, height) = (3, 53, 70)
        for precision in CanvasPrecision.allCases {
            let path = folder.path("\(precision.rawValue).canvas")
            let canvas = try CanvasFile.create(
                at: path, channels: channels, width: width, height: height, precision: precision)
            let reference = Tensor(channels: channels, height: height, width: width)
            var random = SeededRandom(seed: 21)
            for _ in 0..<60 {
                let rect = randomRect(width: width, height: height, using: &random)
                let patch = random.tensor(Shape(channels: channels, height: rect.height, width: rect.width), in: -2...2)
                canvas.write(patch, at: rect)
                for c in 0..<channels {
                    for y in 0..<rect.height {
                        for x in 0..<rect.width {
                            let value = patch[c, y, x]
                            reference[c, rect.y + y, rect.x + x] =
                                precision == .float32 ? value : HalfFloat.value(of: HalfFloat.bits(from: value))
                        }
                    }
                }
                let probe = randomRect(width: width, height: height, using: &random)
                let read = Tensor(channels: channels, height: probe.height, width: probe.width)
                canvas.read(probe, into: read)
                XCTAssertEqual(read.array, crop(reference, probe).array, "\(precision) \(probe)")
            }
            try canvas.sync()
            try canvas.close()
            let reopened = try CanvasFile.open(at: path, writable: false)
            XCTAssertEqual(
                [reopened.channels, reopened.width, reopened.height], [channels, width, height])
            XCTAssertEqual(reopened.precision, precision)
            let whole = Tensor(channels: channels, height: height, width: width)
            reopened.read(PixelRect(width: width, height: height), into: whole)
            XCTAssertEqual(whole.array, reference.array, "\(precision) after reopening")
            try reopened.close()
        }
    }

    private func crop(_ tensor: Tensor, _ rect: PixelRect) -> Tensor {
        let result = Tensor(channels: tensor.channels, height: rect.height, width: rect.width)
        for c in 0..<tensor.channels {
            for y in 0..<rect.height {
                for x in 0..<rect.width { result[c, y, x] = tensor[c, rect.y + y, rect.x + x] }
            }
        }
        return result
    }

    func testDamagedHeadersAndSizesAreClearErrors() throws {
        let folder = try TemporaryDirectory()
        func fresh(_ name: String, precision: CanvasPrecision = .float16) throws -> String {
            let path = folder.path(name)
            try CanvasFile.create(at: path, channels: 2, width: 10, height: 7, precision: precision).close()
            return path
        }
        let size = 64 + 2 * 10 * 7 * 2
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: try fresh("size"))[.size] as? Int, size)

        let truncated = try fresh("truncated")
        try damage(truncated, truncateTo: size - 1)
        assertStoreError(try CanvasFile.open(at: truncated), path: truncated, contains: "truncated: \(size - 1) bytes")

        let longer = try fresh("longer", precision: .float32)
        try append([0, 0, 0, 0], to: longer)
        assertStoreError(try CanvasFile.open(at: longer), path: longer, contains: "wrong size")

        let header = try fresh("header")
        try damage(header, truncateTo: 20)
        assertStoreError(try CanvasFile.open(at: header), path: header, contains: "truncated header (20 bytes")

        let empty = folder.path("empty")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        assertStoreError(try CanvasFile.open(at: empty), path: empty, contains: "truncated header (0 bytes")

        let magic = try fresh("magic")
        try damage(magic, at: 0, with: Array("PNGCANVS".utf8))
        assertStoreError(try CanvasFile.open(at: magic), path: magic, contains: "bad magic")

        let version = try fresh("version")
        try damage(version, at: 8, with: [9, 0, 0, 0])
        assertStoreError(try CanvasFile.open(at: version), path: version, contains: "canvas format version 9")

        let precision = try fresh("precision")
        try damage(precision, at: 12, with: [3, 0, 0, 0])
        assertStoreError(try CanvasFile.open(at: precision), path: precision, contains: "3 bytes per sample")

        let huge = try fresh("huge")
        try damage(huge, at: 24, with: [UInt8](repeating: 0xFF, count: 8))
        assertStoreError(try CanvasFile.open(at: huge), path: huge, contains: "impossible size")

        let zero = try fresh("zero")
        try damage(zero, at: 16, with: [0, 0, 0, 0])
        assertStoreError(try CanvasFile.open(at: zero), path: zero, contains: "must be positive")

        let missing = folder.path("missing.canvas")
        assertStoreError(try CanvasFile.open(at: missing), path: missing, contains: "No such file")
        assertStoreError(try CanvasFile.open(at: folder.url.path), path: folder.url.path, contains: "failed")
        assertStoreError(
            try CanvasFile.create(at: folder.path("bad"), channels: 3, width: 0, height: 5, precision: .float32),
            path: folder.path("bad"), contains: "must be positive")
        // Petabytes: refused at creation by posix_fallocate (no space, or too large a file), and
        // the half-made file is removed.
        let vast = folder.path("vast.canvas")
        assertStoreError(
            try CanvasFile.create(at: vast, channels: 3, width: 1 << 24, height: 1 << 24, precision: .float32),
            path: vast, contains: "posix_fallocate(\(64 + 12 << 48) bytes) failed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: vast))
        assertStoreError(
            try CanvasFile.create(at: folder.path("no/such/dir.canvas"), channels: 1, width: 1, height: 1,
                precision: .float32),
            path: folder.path("no/such/dir.canvas"), contains: "open failed")
    }

    /// The figures behind the choice of precision: time to write and read 512×512×3 tiles on a
    /// 2048×2048 canvas (fresh pages and warm pages), and the disk each precision takes.
    func testTileThroughputAndDiskSizePerPrecision() throws {
        let folder = try TemporaryDirectory()
        let side = 2048
        let tile = 512
        var random = SeededRandom(seed: 5)
        let patch = random.tensor(Shape(channels: 3, height: tile, width: tile), in: 0...1)
        let read = Tensor(patch.shape)
        for precision in CanvasPrecision.allCases {
            let path = folder.path("\(precision.rawValue).canvas")
            let canvas = try CanvasFile.create(at: path, channels: 3, width: side, height: side, precision: precision)
            let rects = PixelRect(width: side, height: side).tiles(width: tile, height: tile).map { $0 }
            var times: [String: Double] = [:]
            for pass in ["write (fresh)", "write (warm)", "read"] {
                let start = Date()
                for rect in rects {
                    if pass == "read" { canvas.read(rect, into: read) } else { canvas.write(patch, at: rect) }
                }
                times[pass] = Date().timeIntervalSince(start) * 1000 / Double(rects.count)
            }
            let syncStart = Date()
            try canvas.sync()
            let syncTime = Date().timeIntervalSince(syncStart)
            let expected = patch.array.map { precision == .float32 ? $0 : HalfFloat.value(of: HalfFloat.bits(from: $0)) }
            XCTAssertEqual(read.array, expected)
            try canvas.close()
            var status = stat()
            XCTAssertEqual(stat(path, &status), 0)
            let fileBytes = 64 + 3 * side * side * precision.bytesPerSample
            XCTAssertEqual(Int(status.st_size), fileBytes)
            // posix_fallocate reserved every block: no sparse file that could SIGBUS on a full disk.
            XCTAssertGreaterThanOrEqual(Int(status.st_blocks) * 512, fileBytes - 4096)
            let summary = times.keys.sorted().map { "\($0) \(String(format: "%.2f", times[$0]!)) ms" }
            print(
                "canvas \(precision.rawValue) \(side)x\(side)x3, 512x512x3 tiles: \(summary.joined(separator: ", "))"
                    + " per tile; sync \(String(format: "%.1f", syncTime * 1000)) ms; file \(fileBytes) bytes,"
                    + " \(Int(status.st_blocks) * 512) on disk")
        }
    }

    /// A pass over a canvas three times the resident budget (written by 128² tiles, then read back)
    /// leaves at most the budget of it resident: the mapping's Rss in /proc/self/smaps, which
    /// would be the whole file if the canvas never let its pages go.
    func testAPassOverALargeCanvasKeepsItsResidentPagesUnderTheBudget() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("large.canvas")
        let (side, tile) = (4 * 1024, 128)  // 3 × 4096² Float32 = 192 MiB = 3 budgets
        let canvas = try CanvasFile.create(at: path, channels: 3, width: side, height: side, precision: .float32)
        defer { try? canvas.close() }
        let patch = Tensor(channels: 3, height: tile, width: tile)
        let rects = PixelRect(width: side, height: side).tiles(width: tile, height: tile).map { $0 }
        var peak = 0
        for (index, rect) in rects.enumerated() {
            patch.withUnsafeMutableBufferPointer { $0.update(repeating: Float(index)) }
            canvas.write(patch, at: rect)
            if index % 7 == 0 { peak = max(peak, try residentBytes(ofMapping: path)) }  // smaps is slow to read
        }
        for (index, rect) in rects.enumerated() {
            canvas.read(rect, into: patch)
            XCTAssertEqual(patch[2, tile - 1, tile - 1], Float(index), "tile \(rect)")
            if index % 7 == 0 { peak = max(peak, try residentBytes(ofMapping: path)) }
        }
        let slack = 3 * tile * CanvasFile.faultAroundBytes  // one rectangle's rows, mapped with their neighbours
        XCTAssertGreaterThan(peak, 0, "no resident page of \(path) was ever seen in /proc/self/smaps")
        XCTAssertLessThanOrEqual(peak, CanvasFile.residentBudget + 3 * tile * tile * 4 + slack)
        print("canvas residency: \((3 * side * side * 4) >> 20) MiB canvas, peak resident \(peak >> 20) MiB")
    }

    /// The Rss of the mappings of `path` in /proc/self/smaps, in bytes.
    private func residentBytes(ofMapping path: String) throws -> Int {
        // Read to the end: procfs files report a size of 0, which a size-based read would trust.
        let file = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"), "/proc/self/smaps")
        let smaps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
        try file.close()
        var inside = false, total = 0
        for line in smaps.split(separator: "\n") {
            let range = line.prefix { $0 != " " }
            if range.contains("-"), range.allSatisfy({ $0.isHexDigit || $0 == "-" }) {  // "start-end perms …"
                inside = line.hasSuffix(path)
            } else if inside, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])! * 1024
            }
        }
        return total
    }
}
