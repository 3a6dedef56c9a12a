import Foundation
import TestSupport
import XCTest

/// `--http` and `--allow-remote` of `stylize` and `coordinator`: the command line's refusals
/// (status 2, one line naming the flag), and an address already taken, refused before any work.
final class LiveViewOptionsTests: ProcessTestCase {
    private var content: String { Fixtures.projectRoot.appendingPathComponent("Examples/chelsea.png").path }
    private var style: String { Fixtures.projectRoot.appendingPathComponent("Examples/starry_night.png").path }

    func testBadAddressesAreUsageErrors() throws {
        let folder = try TemporaryDirectory()
        let stylize = ["stylize", "--content", content, "--style", style, "-o", folder.path("out.png")]
        let coordinator = ["coordinator", "--job", folder.path("job.yaml"), "--bind", "tcp://127.0.0.1:*"]
        let cases: [([String], String)] = [
            (stylize + ["--http", "0.0.0.0:0"], "--http 0.0.0.0:0: 0.0.0.0 is not a loopback address"),
            (coordinator + ["--http", "0.0.0.0:8081"], "--http 0.0.0.0:8081: 0.0.0.0 is not a loopback address"),
            (stylize + ["--http", "localhost"], "--http localhost: expected HOST:PORT"),
            (coordinator + ["--http", "127.0.0.1:99999"], "--http 127.0.0.1:99999: expected HOST:PORT with a port"),
            (stylize + ["--allow-remote"], "--allow-remote goes with --http"),
        ]
        for (arguments, message) in cases {
            let outcome = try AtelierProcess.run(arguments)
            XCTAssertEqual(outcome.status, 2, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "\(arguments): \(outcome.stderr)")
        }
    }

    func testAnAddressInUseIsRefusedBeforeTheRun() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let folder = try TemporaryDirectory()
        let outcome = try AtelierProcess.run(
            ["stylize", "--content", content, "--style", style, "--size", "64", "-o", folder.path("out.png"),
             "--http", "127.0.0.1:\(port)"], timeout: 120)
        XCTAssertEqual(outcome.status, 2, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("--http 127.0.0.1:\(port): cannot listen there"), outcome.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("out.png")))
    }
}
