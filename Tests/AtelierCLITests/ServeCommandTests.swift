import Foundation
import TestSupport
import XCTest

/// `atelier serve` as a user runs it: its refusals (status 2 for the command line, 3 for a bad
/// file, one line each) and a real server answering over loopback until SIGTERM.
final class ServeCommandTests: ProcessTestCase {
    private var image: String { Fixtures.projectRoot.appendingPathComponent("Examples/gallery/coffee.png").path }

    func testANonLoopbackAddressNeedsAllowRemote() throws {
        let outcome = try AtelierProcess.run(["serve", image, "--bind", "0.0.0.0:0"])
        XCTAssertEqual(outcome.status, 2, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("--bind 0.0.0.0:0: 0.0.0.0 is not a loopback address"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("--allow-remote"), outcome.stderr)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
    }

    func testBadOptionsAreUsageErrors() throws {
        let cases: [([String], String)] = [
            (["serve"], "Missing expected argument '<files> ...'"),
            (["serve", image, "--bind", "localhost"], "expected HOST:PORT"),
            (["serve", image, "--bind", "127.0.0.1:70000"], "port in 0…65535"),
            (["serve", image, "--bind", "[::1]8080"], "expected [IPv6]:PORT"),
            (["serve", image, "--tile-format", "gif"], "--tile-format must be jpeg or png"),
            (["serve", image, "--quality", "0"], "--quality must be in 1…100"),
            (["serve", image, "--idle-timeout", "0"], "--idle-timeout must be above 0"),
        ]
        for (arguments, message) in cases {
            let outcome = try AtelierProcess.run(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
    }

    func testAMissingOrDamagedFileIsABadInput() throws {
        let folder = try TemporaryDirectory()
        let damaged = folder.path("damaged.tif")
        try Data([0x49, 0x49, 0x2A, 0x00, 1, 2, 3]).write(to: URL(fileURLWithPath: damaged))
        for path in [folder.path("missing.tif"), damaged] {
            let outcome = try AtelierProcess.run(["serve", path, "--bind", "127.0.0.1:0"], timeout: 60)
            XCTAssertEqual(outcome.status, 3, outcome.stderr)
            XCTAssertTrue(outcome.stderr.hasPrefix("atelier: \(path)"), outcome.stderr)
        }
    }

    /// Serves on a free port, answers, and ends with status 0 on SIGTERM.
    func testServesUntilTerminated() throws {
        let folder = try TemporaryDirectory()
        let server = try start(["serve", image, image, "--bind", "127.0.0.1:0"], log: folder.path("serve.log"))
        let line = try XCTUnwrap(server.line(containing: "serving 2 image(s) at http://127.0.0.1:"), server.log)
        let port = try XCTUnwrap(Int(line.split(separator: ":").last?.filter(\.isNumber) ?? ""), line)
        let descriptor = try ReferenceTool.python(
            "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())",
            ["http://127.0.0.1:\(port)/images/coffee-2.dzi"])
        XCTAssertTrue(descriptor.contains("<Size Width=\"512\" Height=\"341\"/>"), descriptor)
        XCTAssertNotNil(server.line(containing: "serve: GET /images/coffee-2.dzi 200", timeout: 10), server.log)
        server.stop(SIGTERM)
        XCTAssertEqual(server.exitStatus(timeout: 10), 0, server.log)
    }
}
