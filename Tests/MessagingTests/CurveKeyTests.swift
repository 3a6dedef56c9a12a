import Foundation
import Glibc
import Messaging
import TestSupport
import XCTest

final class CurveKeyTests: XCTestCase {
    /// Z85 against the test vector of its specification (RFC 32: 86 4F D2 6F B5 59 F7 5B is
    /// "HelloWorld"), repeated to a key's 32 bytes, both ways.
    func testZ85MatchesTheSpecificationsVector() throws {
        let vector: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        let bytes = Array([[UInt8]](repeating: vector, count: 4).joined())
        let key = try CurveKey(bytes: bytes)
        XCTAssertEqual(key.z85, String(repeating: "HelloWorld", count: 4))
        XCTAssertEqual(try CurveKey(z85: key.z85).bytes, bytes)
        XCTAssertEqual(try CurveKey(z85: key.z85), key)
    }

    func testGeneratedPairsAreDistinctAndConsistent() throws {
        let pair = try CurveKeyPair.generate()
        XCTAssertEqual(pair.publicKey.z85.count, 40)
        XCTAssertEqual(pair.secretKey.bytes.count, 32)
        XCTAssertNotEqual(pair.publicKey, pair.secretKey)
        XCTAssertNotEqual(try CurveKeyPair.generate(), pair)
        XCTAssertEqual(try CurveKeyPair(secretKey: pair.secretKey), pair, "the public key derives from the secret")
        XCTAssertFalse("\(pair)".contains(pair.secretKey.z85), "a logged pair must not show its secret")
    }

    func testInvalidKeysSayWhy() {
        let cases: [(String, String)] = [
            ("short", "a CURVE key is 40 characters of Z85, found 5"),
            (String(repeating: "HelloWorld", count: 3) + "HelloWorl~",
             "not a Z85 key: character 40 (\"~\") is not in Z85"),
            (String(repeating: "#", count: 40), "not a Z85 key: characters 1-5 encode more than four bytes"),
        ]
        for (text, reason) in cases {
            XCTAssertThrowsError(try CurveKey(z85: text)) { error in
                XCTAssertEqual(error as? MessagingError, .misuse(operation: "zmq_z85_decode", reason: reason))
            }
        }
        XCTAssertThrowsError(try CurveKey(bytes: [UInt8](repeating: 1, count: 31)))
    }

    /// Written files have the modes of their roles, whatever the umask, and read back as the same
    /// pair; an existing pair is not replaced unless asked.
    func testWriteAndReadBack() throws {
        let folder = try TemporaryDirectory()
        let keys = folder.path("nested/keys")
        let pair = try CurveKeyPair.generate()
        let previousMask = umask(0o077)
        defer { umask(previousMask) }
        try pair.write(to: keys)
        XCTAssertEqual(try mode(keys + "/key"), 0o600)
        XCTAssertEqual(try mode(keys + "/key.pub"), 0o644)
        XCTAssertEqual(try String(contentsOfFile: keys + "/key.pub", encoding: .utf8), pair.publicKey.z85 + "\n")
        XCTAssertEqual(try CurveKeyPair.read(from: keys), pair)
        XCTAssertEqual(try CurveKey(contentsOf: keys + "/key.pub"), pair.publicKey)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: keys).sorted(), ["key", "key.pub"])

        let other = try CurveKeyPair.generate()
        XCTAssertThrowsError(try other.write(to: keys)) { error in
            XCTAssertEqual(error as? MessagingError, .keyExists(path: keys + "/key"))
        }
        XCTAssertEqual(try CurveKeyPair.read(from: keys), pair, "refusing leaves the pair as it was")
        try other.write(to: keys, replacing: true)
        XCTAssertEqual(try CurveKeyPair.read(from: keys), other)
        XCTAssertEqual(try mode(keys + "/key"), 0o600)
    }

    /// Bad key files are errors that name the file and say what is wrong with it.
    func testBadKeyFilesNameThePathAndTheReason() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("key.pub")
        func reason(_ contents: String?) -> String? {
            try? FileManager.default.removeItem(atPath: path)
            if let contents { XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))) }
            do {
                _ = try CurveKey(contentsOf: path)
                return nil
            } catch MessagingError.keyFile(path, let reason) {
                return reason
            } catch {
                return "unexpected: \(error)"
            }
        }
        XCTAssertEqual(reason(nil), "cannot read the key file: No such file or directory")
        XCTAssertEqual(reason(""), "a CURVE key is 40 characters of Z85, found 0")
        XCTAssertEqual(reason("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf"), "a CURVE key is 40 characters of Z85, found 39")
        XCTAssertEqual(reason("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf;\n"),
            "not a Z85 key: character 40 (\";\") is not in Z85")
        XCTAssertEqual(reason(String(repeating: "x", count: 5000)),
            "is 5000 bytes, too large for a key file (one 40-character line)")
        XCTAssertNil(reason("  rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\n"), "white space around the key is fine")

        try FileManager.default.createDirectory(atPath: folder.path("dir"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try CurveKey(contentsOf: folder.path("dir"))) { error in
            XCTAssertEqual(error as? MessagingError, .keyFile(path: folder.path("dir"), reason: "is not a regular file"))
        }
        XCTAssertEqual("\(MessagingError.keyFile(path: path, reason: "is not a regular file"))", "\(path): is not a regular file")
    }

    /// A key.pub that is not the secret key's public key is caught when the pair is read.
    func testMismatchedPairIsRefused() throws {
        let folder = try TemporaryDirectory()
        try CurveKeyPair.generate().write(to: folder.path("a"))
        try CurveKeyPair.generate().write(to: folder.path("b"))
        try FileManager.default.removeItem(atPath: folder.path("a/key.pub"))
        try FileManager.default.copyItem(atPath: folder.path("b/key.pub"), toPath: folder.path("a/key.pub"))
        XCTAssertThrowsError(try CurveKeyPair.read(from: folder.path("a"))) { error in
            XCTAssertEqual(
                error as? MessagingError,
                .keyFile(path: folder.path("a/key.pub"), reason: "is not the public key of \(folder.path("a/key"))"))
        }
    }

    /// A secret key that the group or others may read or write is refused, as SSH refuses one,
    /// with the fix in the message; the owner's own bits (0600, 0400) are fine.
    func testSharedSecretKeysAreRefused() throws {
        let folder = try TemporaryDirectory()
        let keys = folder.path("keys")
        let pair = try CurveKeyPair.generate()
        try pair.write(to: keys)
        let secret = keys + "/key"
        for shared: mode_t in [0o666, 0o644, 0o640, 0o604, 0o610, 0o601, 0o620] {
            XCTAssertEqual(chmod(secret, shared), 0)
            XCTAssertThrowsError(try CurveKeyPair.read(from: keys), "mode \(String(shared, radix: 8))") { error in
                let mode = "0" + String(shared, radix: 8)
                XCTAssertEqual(
                    error as? MessagingError,
                    .keyFile(
                        path: secret,
                        reason: "the secret key is accessible by others (mode \(mode)); run `chmod 600 \(secret)`"))
            }
        }
        for owned: mode_t in [0o600, 0o400] {
            XCTAssertEqual(chmod(secret, owned), 0)
            XCTAssertEqual(try CurveKeyPair.read(from: keys), pair, "mode \(String(owned, radix: 8))")
        }
        XCTAssertEqual(chmod(keys + "/key.pub", 0o666), 0)
        XCTAssertEqual(try CurveKeyPair.read(from: keys), pair, "a public key may be readable by anyone")
    }

    func testWritingIntoAFileIsAWriteError() throws {
        let folder = try TemporaryDirectory()
        XCTAssertTrue(FileManager.default.createFile(atPath: folder.path("file"), contents: Data()))
        XCTAssertThrowsError(try CurveKeyPair.generate().write(to: folder.path("file"))) { error in
            XCTAssertEqual(error as? MessagingError, .keyWrite(path: folder.path("file"), reason: "is not a folder"))
        }
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try XCTUnwrap(attributes[.posixPermissions] as? Int)
    }
}
