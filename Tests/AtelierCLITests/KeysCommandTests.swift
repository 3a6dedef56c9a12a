import Foundation
import Glibc
import Messaging
import TestSupport
import XCTest

/// `atelier keys generate` end to end: the files, their modes, and refusing to overwrite.
final class KeysCommandTests: XCTestCase {
    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func testGeneratesAPairIntoANewFolder() throws {
        let folder = try TemporaryDirectory()
        let keys = folder.path("coordinator/keys")
        let run = try AtelierProcess.run(["keys", "generate", "--out", keys], timeout: 60)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        let pair = try CurveKeyPair.read(from: keys)
        XCTAssertEqual(
            run.stdout,
            """
            public key: \(pair.publicKey.z85)
            wrote \(keys)/key.pub (public: copy it to the peers that must trust this one)
            wrote \(keys)/key (secret, mode 0600: keep it on this machine)

            """)
        XCTAssertEqual(try mode(keys + "/key"), 0o600)
        XCTAssertEqual(try mode(keys + "/key.pub"), 0o644)
    }

    /// A second run keeps the existing pair and exits 2 naming the file; `--force` replaces it.
    func testRefusesToOverwriteWithoutForce() throws {
        let folder = try TemporaryDirectory()
        let keys = folder.path("keys")
        XCTAssertEqual(try AtelierProcess.run(["keys", "generate", "--out", keys], timeout: 60).status, 0)
        let first = try CurveKeyPair.read(from: keys)

        let again = try AtelierProcess.run(["keys", "generate", "--out", keys], timeout: 60)
        XCTAssertEqual(again.status, 2)
        XCTAssertEqual(again.stderr, "atelier: \(keys)/key already exists; use --force to replace it\n")
        XCTAssertEqual(again.stdout, "")
        XCTAssertEqual(try CurveKeyPair.read(from: keys), first)

        let forced = try AtelierProcess.run(["keys", "generate", "--out", keys, "--force"], timeout: 60)
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let second = try CurveKeyPair.read(from: keys)
        XCTAssertNotEqual(second, first)
        XCTAssertTrue(forced.stdout.hasPrefix("public key: \(second.publicKey.z85)\n"), forced.stdout)
    }

    /// A worker or coordinator given a secret key that others can read stops before any
    /// connection: exit 3, one line naming the file and the `chmod 600` fix.
    func testSharedSecretKeyStopsWorkerAndCoordinator() throws {
        let folder = try TemporaryDirectory()
        let keys = folder.path("keys")
        XCTAssertEqual(try AtelierProcess.run(["keys", "generate", "--out", keys], timeout: 60).status, 0)
        XCTAssertEqual(chmod(keys + "/key", 0o640), 0)
        let expected = "atelier: \(keys)/key: the secret key is accessible by others (mode 0640); "
            + "run `chmod 600 \(keys)/key`\n"
        let worker = try AtelierProcess.run(
            ["worker", "--connect", "tcp://127.0.0.1:9", "--keys", keys, "--server-key", keys], timeout: 60)
        XCTAssertEqual(worker.status, 3, worker.stderr)
        XCTAssertEqual(worker.stderr, expected)

        let job = try DoodleJob().write(in: folder, output: folder.path("out.png"))
        let coordinator = try AtelierProcess.run(
            ["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:*",
             "--keys", keys, "--trust", keys], timeout: 60)
        XCTAssertEqual(coordinator.status, 3, coordinator.stderr)
        XCTAssertEqual(coordinator.stderr, expected)
    }

    func testUsageAndOutputErrors() throws {
        let folder = try TemporaryDirectory()
        let missing = try AtelierProcess.run(["keys", "generate"], timeout: 60)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.hasPrefix("atelier: "), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--out"), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1)

        XCTAssertTrue(FileManager.default.createFile(atPath: folder.path("plain"), contents: Data("x".utf8)))
        let intoFile = try AtelierProcess.run(["keys", "generate", "--out", folder.path("plain")], timeout: 60)
        XCTAssertEqual(intoFile.status, 1)
        XCTAssertEqual(intoFile.stderr, "atelier: \(folder.path("plain")): cannot write: is not a folder\n")
    }
}
