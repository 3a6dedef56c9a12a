import Foundation
import Messaging
import XCTest

/// ROUTER/DEALER traffic: multipart round trips over inproc and TCP, routing ids, timeouts, and
/// the errors of misuse.
final class MessageSocketTests: MessagingTestCase {
    /// The pattern of the pipeline: a worker's DEALER sends, the coordinator's ROUTER sees the
    /// worker's routing id first and answers to it. Empty and binary frames survive.
    private func assertRoundTrip(router: MessageSocket, dealer: MessageSocket) throws {
        let binary = Data((0...255).map { UInt8($0) })
        try dealer.send([Data("READY".utf8), Data(), binary])
        let received = try XCTUnwrap(router.receive(timeout: Self.patience))
        XCTAssertEqual(received.count, 4, "routing id + 3 frames")
        XCTAssertEqual(Array(received.dropFirst()), [Data("READY".utf8), Data(), binary])

        let routingID = received[0]
        try router.send([routingID, Data("TASK".utf8), Data([7, 0, 9])])
        XCTAssertEqual(try dealer.receive(timeout: Self.patience), [Data("TASK".utf8), Data([7, 0, 9])])
    }

    func testMultipartRoundTripOverInproc() throws {
        let router = try makeSocket(.router)
        try router.bind("inproc://round-trip")
        let dealer = try makeSocket(.dealer)
        try dealer.connect("inproc://round-trip")
        try assertRoundTrip(router: router, dealer: dealer)
        XCTAssertEqual(try router.lastEndpoint, "inproc://round-trip")
    }

    func testMultipartRoundTripOverTCPOnAPortTheSystemPicks() throws {
        let (router, endpoint) = try boundRouter()
        XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint)
        let port = try XCTUnwrap(Int(endpoint.split(separator: ":").last!))
        XCTAssertGreaterThan(port, 0)
        let dealer = try connectedDealer(endpoint)
        try assertRoundTrip(router: router, dealer: dealer)
        // Byte arrays are frames too.
        try dealer.send([[UInt8]([1, 2, 3])])
        XCTAssertEqual(try router.receive(timeout: Self.patience)?.last, Data([1, 2, 3]))
    }

    /// Each DEALER's chosen routing id is the first frame at the ROUTER, and a reply addressed to
    /// one reaches that one only.
    func testRoutingIDsAddressEachPeer() throws {
        let (router, endpoint) = try boundRouter()
        var dealers: [String: MessageSocket] = [:]
        for name in ["worker-a", "worker-b", "worker-c"] {
            var options = SocketOptions()
            options.routingID = Array(name.utf8)
            dealers[name] = try connectedDealer(endpoint, options)
            try dealers[name]!.send(frames("READY", name))
        }
        var seen: [String] = []
        for _ in 0..<3 {
            let message = try XCTUnwrap(text(router.receive(timeout: Self.patience)))
            XCTAssertEqual(message.count, 3)
            XCTAssertEqual(message[1], "READY")
            XCTAssertEqual(message[0], message[2], "the routing id is the one the DEALER chose")
            seen.append(message[0])
        }
        XCTAssertEqual(seen.sorted(), ["worker-a", "worker-b", "worker-c"])

        try router.send(frames("worker-b", "TASK 2"))
        XCTAssertEqual(text(try dealers["worker-b"]!.receive(timeout: Self.patience)), ["TASK 2"])
        XCTAssertNil(try dealers["worker-a"]!.receive(timeout: .milliseconds(100)))
        XCTAssertNil(try dealers["worker-c"]!.receive(timeout: .zero))
    }

    /// The worker pattern: a socket made here is handed to a thread that runs it (an echo loop)
    /// and closes it there; the context closes cleanly afterwards.
    func testASocketHandedToAnotherThread() throws {
        let (router, endpoint) = try boundRouter()
        let worker = try context.socket(.dealer)
        try worker.connect(endpoint)
        let done = DispatchSemaphore(value: 0)
        Thread {
            defer { try? worker.close(); done.signal() }
            do {
                try worker.send(frames("READY"))
                while let task = try worker.receive(timeout: .seconds(5)), task != frames("STOP") {
                    try worker.send(frames("RESULT") + task)
                }
            } catch {
                XCTFail("worker: \(error)")
            }
        }.start()
        let ready = try XCTUnwrap(router.receive(timeout: Self.patience))
        XCTAssertEqual(text(Array(ready.dropFirst())), ["READY"])
        for index in 0..<20 {
            try router.send([ready[0], Data("tile \(index)".utf8)])
            XCTAssertEqual(text(try router.receive(timeout: Self.patience))?.dropFirst(), ["RESULT", "tile \(index)"])
        }
        try router.send([ready[0], Data("STOP".utf8)])
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
    }

    /// A receive with nothing to receive returns nil after its timeout, not before and not much
    /// later; a zero timeout does not wait.
    func testReceiveTimesOutPromptly() throws {
        let (router, _) = try boundRouter()
        let clock = ContinuousClock()
        var result: [Data]? = []
        let waited = try clock.measure { result = try router.receive(timeout: .milliseconds(150)) }
        XCTAssertNil(result)
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(140))
        XCTAssertLessThan(waited, .seconds(2))
        let immediate = try clock.measure { result = try router.receive(timeout: .zero) }
        XCTAssertNil(result)
        XCTAssertLessThan(immediate, .milliseconds(100))
    }

    /// `routerMandatory`: a reply to a peer that is not connected is an error, not a silent drop.
    func testMandatoryRouterReportsAnUnknownPeer() throws {
        var options = SocketOptions()
        options.routerMandatory = true
        let (router, _) = try boundRouter(options)
        XCTAssertThrowsError(try router.send(frames("nobody", "TASK"))) { error in
            guard case MessagingError.peerUnreachable = error else { return XCTFail("\(error)") }
        }
    }

    /// A send with a send timeout fails with `.timedOut` when no peer can take the message.
    func testSendTimeoutWithoutAPeer() throws {
        var options = SocketOptions()
        options.immediate = true
        options.sendTimeout = .milliseconds(50)
        let dealer = try connectedDealer("tcp://127.0.0.1:1", options)
        XCTAssertThrowsError(try dealer.send(frames("READY"))) { error in
            XCTAssertEqual(error as? MessagingError, .timedOut(operation: "zmq_send"))
        }
    }

    func testBadEndpointsAreEndpointErrors() throws {
        let socket = try makeSocket(.router)
        for endpoint in ["tcp://127.0.0.1", "nonsense", "udp://127.0.0.1:5"] {
            XCTAssertThrowsError(try socket.bind(endpoint)) { error in
                guard case MessagingError.endpoint(endpoint, "zmq_bind", let reason) = error else {
                    return XCTFail("\(endpoint): \(error)")
                }
                XCTAssertFalse(reason.isEmpty)
                XCTAssertTrue("\(error)".hasPrefix("zmq_bind \(endpoint): "), "\(error)")
            }
        }
        let (_, taken) = try boundRouter()
        XCTAssertThrowsError(try socket.bind(taken)) { error in
            XCTAssertEqual(error as? MessagingError, .endpoint(taken, operation: "zmq_bind", reason: "Address already in use"))
        }
    }

    func testClosedSocketAndContextRefuseUse() throws {
        let socket = try context.socket(.dealer)
        try socket.close()
        try socket.close()  // twice is fine
        XCTAssertThrowsError(try socket.send(frames("x"))) { error in
            XCTAssertEqual(error as? MessagingError, .misuse(operation: "zmq_send", reason: "the socket is closed"))
        }
        XCTAssertThrowsError(try socket.receive(timeout: .zero))
        XCTAssertThrowsError(try makeSocket(.dealer).send([Data]())) { error in
            guard case MessagingError.misuse = error else { return XCTFail("\(error)") }
        }

        let other = try MessagingContext()
        let open = try other.socket(.router)
        XCTAssertThrowsError(try other.close()) { error in
            XCTAssertEqual(
                error as? MessagingError,
                .misuse(operation: "zmq_ctx_term", reason: "1 socket(s) still open; close them first"))
        }
        try open.close()
        try other.close()
        XCTAssertThrowsError(try other.socket(.router)) { error in
            XCTAssertEqual(error as? MessagingError, .misuse(operation: "zmq_socket", reason: "the context is closed"))
        }
    }

    /// `withSocket` closes the socket however the body ends, so the context can close.
    func testWithSocketClosesTheSocket() throws {
        let other = try MessagingContext()
        struct Expected: Error {}
        XCTAssertThrowsError(try other.withSocket(.dealer) { _ in throw Expected() })
        let endpoint = try other.withSocket(.router) { socket in
            try socket.bind("tcp://127.0.0.1:*")
            return try socket.lastEndpoint
        }
        XCTAssertNotNil(endpoint)
        try other.close()
    }
}
