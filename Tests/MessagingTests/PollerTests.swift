import Foundation
import Messaging
import XCTest

final class PollerTests: MessagingTestCase {
    /// Of two sockets, the poller names the one with a message, and only once it has one.
    func testReportsTheReadableSockets() throws {
        let (first, firstEndpoint) = try boundRouter()
        let (second, secondEndpoint) = try boundRouter()
        let toFirst = try connectedDealer(firstEndpoint)
        let toSecond = try connectedDealer(secondEndpoint)
        let poller = Poller([first, second])
        XCTAssertTrue(try poller.readable(timeout: .zero).isEmpty)

        try toSecond.send(frames("to second"))
        let ready = try poller.readable(timeout: Self.patience)
        XCTAssertEqual(ready.count, 1)
        XCTAssertTrue(ready.first === second)
        XCTAssertEqual(text(try second.receive(timeout: .zero))?.last, "to second")

        try toFirst.send(frames("to first"))
        try toSecond.send(frames("again"))
        // Both become readable; wait until each has been seen.
        var seen = Set<ObjectIdentifier>()
        let deadline = ContinuousClock.now + Self.patience
        while seen.count < 2 && ContinuousClock.now < deadline {
            seen.formUnion(try poller.readable(timeout: .milliseconds(50)).map(ObjectIdentifier.init))
        }
        XCTAssertEqual(seen, [ObjectIdentifier(first), ObjectIdentifier(second)])
    }

    /// With nothing to read the poller returns empty after its timeout, promptly.
    func testTimesOutPromptly() throws {
        let (router, _) = try boundRouter()
        let dealer = try makeSocket(.dealer)
        let poller = Poller([router, dealer])
        let clock = ContinuousClock()
        var ready: [MessageSocket] = [router]
        let waited = try clock.measure { ready = try poller.readable(timeout: .milliseconds(120)) }
        XCTAssertTrue(ready.isEmpty)
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(110))
        XCTAssertLessThan(waited, .seconds(2))
    }

    func testAClosedSocketIsAnError() throws {
        let socket = try context.socket(.router)
        try socket.close()
        XCTAssertThrowsError(try Poller([socket]).readable(timeout: .zero)) { error in
            XCTAssertEqual(error as? MessagingError, .misuse(operation: "zmq_poll", reason: "the socket is closed"))
        }
    }
}
