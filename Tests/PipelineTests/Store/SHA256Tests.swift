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

    /// FIPS 180-4's examples, and the digest of a buffer lent as it is equals that of its bytes.
    func testKnownAnswers() {
        XCTAssertEqual(
            SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let bytes = [UInt8](repeating: 0x61, count: 1_000_000)
        XCTAssertEqual(
            SHA256.hexString(bytes.withUnsafeBytes { SHA256.digest(of: $0) }),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
