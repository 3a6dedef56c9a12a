import Foundation
import TestSupport
import XCTest

@testable import AtelierCLI

/// Plain TCP is allowed only where every address the endpoint's host resolves to is loopback:
/// the rule looks at numeric addresses, never at how the host is spelt.
final class LinkTests: XCTestCase {
    func testLoopbackIsDecidedOnResolvedAddresses() {
        for endpoint in [
            "tcp://127.0.0.1:5555", "tcp://127.3.2.1:5555", "tcp://localhost:5555", "tcp://[::1]:5555",
            "tcp://127.1:5555", "tcp://127.0.0.1:6000;127.0.0.1:5555", "tcp://127.0.0.1;localhost:5555",
        ] {
            XCTAssertTrue(Link.isLoopback(tcpEndpoint: endpoint), endpoint)
        }
        for endpoint in [
            // A DNS name that starts like a loopback address, and one that does not resolve.
            "tcp://127.attacker.invalid:5555", "tcp://localhost.invalid:5555",
            "tcp://0.0.0.0:5555", "tcp://*:5555", "tcp://10.1.2.3:5555", "tcp://[::]:5555", "tcp://[::2]:5555",
            // libzmq's source;destination form: both ends count.
            "tcp://127.0.0.1;10.1.2.3:5555", "tcp://10.1.2.3;127.0.0.1:5555",
            "tcp://:5555", "tcp://5555",
        ] {
            XCTAssertFalse(Link.isLoopback(tcpEndpoint: endpoint), endpoint)
        }
    }

    /// Before, `127.attacker.invalid` passed as loopback and the worker connected in plain TCP.
    func testAWorkerRefusesPlainTCPToANameThatOnlyLooksLikeLoopback() throws {
        let run = try AtelierProcess.run(["worker", "--connect", "tcp://127.attacker.invalid:5555"], timeout: 60)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("--insecure"), run.stderr)
        XCTAssertTrue(run.stderr.contains("127.attacker.invalid"), run.stderr)
    }
}
