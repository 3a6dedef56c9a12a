import Foundation
import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

final class TileResultStoreTests: XCTestCase {
    private let job = String(repeating: "ab", count: 32)

    private func record(tile: Int, round: Int = 0, seed: UInt64) -> TileResultRecord {
        var random = SeededRandom(seed: seed)
        let rect = PixelRect(x: 10 * tile, y: 3, width: 9 + tile, height: 5)
        return TileResultRecord(
            key: TileResultKey(job: job, level: 1, round: round, tile: tile), rect: rect,
            pixels: random.tensor(Shape(channels: 3, height: rect.height, width: rect.width)),
            lossTrace: random.floats(4, in: 0...10))
    }

    /// Results written in any order are listed in tile order, read back exactly, written once
    /// (a duplicate changes nothing) and leave no temporary files.
    func testWritesAreAtomicOnceOnlyAndListedInTileOrder() throws {
        let folder = try TemporaryDirectory()
        let store = try TileResultStore(directory: folder.path("tiles"))
        for tile in [4, 0, 11, 2] { XCTAssertTrue(try store.write(record(tile: tile, seed: UInt64(tile)))) }
        XCTAssertFalse(try store.write(record(tile: 2, seed: 99)), "a second result for a key is ignored")
        XCTAssertTrue(try store.write(record(tile: 0, round: 1, seed: 1)))
        XCTAssertEqual(try store.completedTiles(level: 1, round: 0), [0, 2, 4, 11])
        XCTAssertEqual(try store.completedTiles(level: 1, round: 1), [0])
        XCTAssertEqual(try store.completedTiles(level: 2, round: 0), [])
        for tile in [0, 2, 4, 11] {
            let expected = record(tile: tile, seed: UInt64(tile))
            let stored = try store.read(expected.key)
            XCTAssertEqual(stored.key, expected.key)
            XCTAssertEqual(stored.rect, expected.rect)
            XCTAssertEqual(stored.pixels.shape, expected.pixels.shape)
            XCTAssertEqual(stored.pixels.array, expected.pixels.array)
            XCTAssertEqual(stored.lossTrace, expected.lossTrace)
        }
        let names = try FileManager.default.subpathsOfDirectory(atPath: store.directory)
        XCTAssertFalse(names.contains { $0.contains(".tmp-") }, "\(names)")

        var negative = record(tile: 1, seed: 1)
        negative.key.round = -1
        assertStoreError(try store.write(negative), path: store.directory, contains: "negative or oversized key")

        try store.removeRound(level: 1, round: 0)
        XCTAssertEqual(try store.completedTiles(level: 1, round: 0), [])
        XCTAssertEqual(try store.completedTiles(level: 1, round: 1), [0])
    }

    /// The leftovers of a write interrupted before its rename are not results, and are removed
    /// when the store is opened again.
    func testInterruptedWritesAreIgnoredAndCleanedUp() throws {
        let folder = try TemporaryDirectory()
        let store = try TileResultStore(directory: folder.path("tiles"))
        try store.write(record(tile: 1, seed: 1))
        let leftover = store.path(of: record(tile: 3, seed: 3).key) + ".tmp-123-456"
        _ = FileManager.default.createFile(atPath: leftover, contents: Data([1, 2, 3]))
        XCTAssertEqual(try store.completedTiles(level: 1, round: 0), [1])
        _ = try TileResultStore(directory: folder.path("tiles"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover))
        XCTAssertEqual(try store.completedTiles(level: 1, round: 0), [1])
    }

    func testDamagedResultsAreClearErrors() throws {
        let folder = try TemporaryDirectory()
        let store = try TileResultStore(directory: folder.path("tiles"))
        let keys = (0..<5).map { record(tile: $0, seed: UInt64($0)).key }
        for tile in 0..<5 { try store.write(record(tile: tile, seed: UInt64(tile))) }
        let paths = keys.map(store.path(of:))
        let size = try FileManager.default.attributesOfItem(atPath: paths[0])[.size] as! Int

        try damage(paths[0], at: size - 100, with: [0x7F])
        assertStoreError(try store.read(keys[0]), path: paths[0], contains: "checksum mismatch")
        try damage(paths[1], truncateTo: size - 10)
        assertStoreError(try store.read(keys[1]), path: paths[1], contains: "truncated")
        try damage(paths[2], truncateTo: 30)
        assertStoreError(try store.read(keys[2]), path: paths[2], contains: "truncated at")
        try damage(paths[3], at: 0, with: [0])
        assertStoreError(try store.read(keys[3]), path: paths[3], contains: "bad magic")
        // A file renamed into another key's place is caught by the key inside it.
        try FileManager.default.removeItem(atPath: paths[3])
        try FileManager.default.copyItem(atPath: paths[4], toPath: paths[3])
        assertStoreError(try store.read(keys[3]), path: paths[3], contains: "holds the result of level 1 round 0 tile 4")
        let missing = TileResultKey(job: job, level: 1, round: 0, tile: 9)
        assertStoreError(try store.read(missing), path: store.path(of: missing), contains: "No such file")
    }

    /// The cost of storing one full-size result (a 512 core with 32 of overlap: 3×576×576), with
    /// its checksum and fsyncs, measured for the report; the round trip is exact.
    func testAFullSizeTileResultRoundTripsAndIsTimed() throws {
        let folder = try TemporaryDirectory()
        let store = try TileResultStore(directory: folder.path("tiles"))
        var random = SeededRandom(seed: 4)
        let rect = PixelRect(x: 480, y: 960, width: 576, height: 576)
        var times: [Double] = []
        for tile in 0..<5 {
            let record = TileResultRecord(
                key: TileResultKey(job: job, level: 6, round: 1, tile: tile), rect: rect,
                pixels: random.tensor(Shape(channels: 3, height: 576, width: 576), in: 0...1), lossTrace: [3, 2, 1])
            let start = Date()
            try store.write(record)
            let written = Date()
            let stored = try store.read(record.key)
            times += [written.timeIntervalSince(start), Date().timeIntervalSince(written)]
            XCTAssertEqual(stored.pixels.array, record.pixels.array)
        }
        let median = { (values: [Double]) in values.sorted()[values.count / 2] * 1000 }
        print(
            "tile result 3x576x576: write (checksum, fsync, rename) "
                + String(format: "%.1f ms, read %.1f ms (median of 5)", median(times.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)),
                    median(times.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))))
    }

    /// No byte string makes decoding trap: random bytes, and a valid record cut or flipped anywhere.
    func testDecodingArbitraryBytesNeverTraps() throws {
        var random = SeededRandom(seed: 8)
        let valid = record(tile: 1, seed: 1).encoded()
        for trial in 0..<400 {
            var bytes: [UInt8]
            switch trial % 3 {
            case 0: bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1: bytes = Array(valid.prefix(Int.random(in: 0..<valid.count, using: &random)))
            default:
                bytes = valid
                bytes[Int.random(in: 0..<80, using: &random)] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            }
            XCTAssertThrowsError(try TileResultRecord(decoding: bytes, path: "fuzz"), "trial \(trial)")
        }
        XCTAssertNoThrow(try TileResultRecord(decoding: valid, path: "valid"))
    }
}
