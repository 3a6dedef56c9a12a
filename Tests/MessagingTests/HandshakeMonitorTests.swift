import Foundation
import Messaging
import Synchronization
import XCTest

/// The handshake monitor reports, on both ends, what libzmq otherwise keeps to itself: a client
/// without keys at a CURVE server (or with keys at a plain one), a client holding the wrong
/// server key, a key the ZAP handler refuses; and a good handshake as such.
final class HandshakeMonitorTests: MessagingTestCase {
    private let server = try! CurveKeyPair.generate()
    private let worker = try! CurveKeyPair.generate()
    private let stranger = try! CurveKeyPair.generate()
    private let refusals = RefusalLog()

    /// The events a monitor reported, gathered from its thread.
    private final class Events: Sendable {
        private let events = Mutex<[HandshakeEvent]>([])
        func append(_ event: HandshakeEvent) { events.withLock { $0.append(event) } }
        var all: [HandshakeEvent] { events.withLock { $0 } }

        /// Waits up to five seconds for an event that `matches`.
        func wait(for matches: (HandshakeEvent) -> Bool) -> HandshakeEvent? {
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                if let event = all.first(where: matches) { return event }
                usleep(10_000)
            }
            return nil
        }
    }

    /// A server (CURVE when `curve`) and a client with `clientCurve`, each watched; the client
    /// sends one message; returns both monitors' events once `until` holds for the client's.
    private func handshake(
        curve: Bool, clientCurve: CurveRole?, until: @escaping (HandshakeEvent) -> Bool
    ) throws -> (client: HandshakeEvent?, server: Events) {
        _ = try startZAPHandler(trusting: [worker], log: refusals)
        var serverOptions = SocketOptions()
        if curve { serverOptions.curve = .server(server) }
        let router = try makeSocket(.router, serverOptions)
        let serverEvents = Events(), clientEvents = Events()
        let serverMonitor = try HandshakeMonitor(watching: router, context: context) { serverEvents.append($0) }
        defer { serverMonitor.stop() }
        try router.bind("tcp://127.0.0.1:*")
        var clientOptions = SocketOptions()
        clientOptions.curve = clientCurve
        let dealer = try makeSocket(.dealer, clientOptions)
        let clientMonitor = try HandshakeMonitor(watching: dealer, context: context) { clientEvents.append($0) }
        defer { clientMonitor.stop() }
        try dealer.connect(try XCTUnwrap(router.lastEndpoint))
        try dealer.send(frames("READY"))
        let event = clientEvents.wait(for: until)
        _ = serverEvents.wait { $0.failed == (event?.failed ?? true) }
        return (event, serverEvents)
    }

    func testAGoodHandshakeIsReportedAsSuch() throws {
        let keys = CurveRole.client(worker, serverKey: server.publicKey)
        let (client, serverEvents) = try handshake(curve: true, clientCurve: keys) { _ in true }
        XCTAssertEqual(client?.outcome, .succeeded)
        XCTAssertEqual(serverEvents.all.map(\.outcome), [.succeeded])
    }

    func testAPlainClientOfACurveServerIsAMechanismMismatchOnBothEnds() throws {
        let (client, server) = try handshake(curve: true, clientCurve: nil) { $0.failed }
        let event = try XCTUnwrap(client)
        XCTAssertTrue(event.description.contains("security mechanism mismatch"), event.description)
        XCTAssertTrue(event.description.hasPrefix("handshake on tcp://127.0.0.1:"), event.description)
        XCTAssertTrue(server.all.contains { $0.description.contains("security mechanism mismatch") }, "\(server.all)")
    }

    func testACurveClientOfAPlainServerIsAMechanismMismatch() throws {
        let (client, _) = try handshake(curve: false, clientCurve: .client(worker, serverKey: server.publicKey)) {
            $0.failed
        }
        let event = try XCTUnwrap(client)
        XCTAssertTrue(event.description.contains("security mechanism mismatch"), event.description)
    }

    /// The server cannot decrypt the client's HELLO and closes: the client sees the connection
    /// close mid-handshake, the server a cryptographic error.
    func testAClientHoldingTheWrongServerKeyIsSeenOnBothEnds() throws {
        let wrong = try CurveKeyPair.generate().publicKey
        let (client, server) = try handshake(curve: true, clientCurve: .client(worker, serverKey: wrong)) { $0.failed }
        guard case .closed? = client?.outcome else { return XCTFail("\(String(describing: client))") }
        XCTAssertTrue(client!.description.contains("wrong server key"), client!.description)
        XCTAssertTrue(server.all.contains { $0.description.contains("cryptographic error") }, "\(server.all)")
    }

    func testAKeyTheZAPHandlerRefusesIsStatus400() throws {
        let (client, _) = try handshake(curve: true, clientCurve: .client(stranger, serverKey: server.publicKey)) {
            $0.failed
        }
        XCTAssertEqual(client?.outcome, .refused(status: 400))
        XCTAssertTrue(client!.description.contains("refused this key"), client!.description)
        XCTAssertTrue(refusals.waitForLine(containing: stranger.publicKey.z85, timeout: Self.patience))
    }
}
