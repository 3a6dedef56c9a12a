import Foundation
import TestSupport
import XCTest

@testable import Pipeline

final class SHA256Tests: XCTestCase {
    /// Inputs around every padding boundary (55, 56, 63, 64, 65 bytes), several blocks, and a
    /// seeded megabyte, each compared with coreutils' `sha256sum` of the same bytes on disk.
    func testDigestsEqualSha256sum() throws {
        let folder = try TemporaryDirectory()
        var random = SeededRandom(seed: 7)
        var inputs: [(String, [UInt8])] = [("empty", []), ("abc", Array("abc".utf8))]
        for length in [1, 55, 56, 63, 64, 65, 119, 120, 128, 1000] {
            inputs.append(("a\(length)", [UInt8](repeating: 0x61, count: length)))
        }
        inputs.append(("random", (0..<(1 << 20) + 13).map { _ in UInt8.random(in: 0...255, using: &random) }))
        for (name, bytes) in inputs {
            let path = folder.path(name)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let expected = try ReferenceTool.run("/usr/bin/sha256sum", [path]).prefix(64)
            XCTAssertEqual(SHA256.hex(of: bytes), String(expected), name)
        }
    }

    func testKnownAnswerAndIncrementalUpdatesMatchOneShot() {
        // FIPS 180-4 example: SHA-256("abc").
        XCTAssertEqual(
            SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var random = SeededRandom(seed: 3)
        let bytes = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &random) }
        var hash = SHA256()
        var offset = 0
        while offset < bytes.count {
            let step = min(Int.random(in: 0...150, using: &random), bytes.count - offset)
            hash.update(bytes[offset..<offset + step])
            offset += step
        }
        XCTAssertEqual(SHA256.hexString(hash.finalize()), SHA256.hex(of: bytes))
    }
}
