import Foundation
import Messaging
import XCTest

/// CurveZMQ with ZAP: the coordinator admits only the workers whose public keys it trusts.
final class ZAPHandlerTests: MessagingTestCase {
    private let server = try! CurveKeyPair.generate()
    private let trustedWorker = try! CurveKeyPair.generate()
    private let strangerWorker = try! CurveKeyPair.generate()
    private let log = RefusalLog()

    private func curveServer() throws -> (MessageSocket, String) {
        var options = SocketOptions()
        options.curve = .server(server)
        return try boundRouter(options)
    }

    private func curveClient(_ keys: CurveKeyPair, to endpoint: String) throws -> MessageSocket {
        var options = SocketOptions()
        options.curve = .client(keys, serverKey: server.publicKey)
        return try connectedDealer(endpoint, options)
    }

    func testATrustedClientExchangesMessages() throws {
        _ = try startZAPHandler(trusting: [trustedWorker], log: log)
        let (router, endpoint) = try curveServer()
        let worker = try curveClient(trustedWorker, to: endpoint)
        try worker.send(frames("READY", "worker"))
        let received = try XCTUnwrap(router.receive(timeout: Self.patience))
        XCTAssertEqual(text(Array(received.dropFirst())), ["READY", "worker"])
        try router.send([received[0], Data("TASK".utf8)])
        XCTAssertEqual(text(try worker.receive(timeout: Self.patience)), ["TASK"])
        XCTAssertEqual(log.all, [], "nobody was refused")
    }

    /// A client with a key the server does not trust gets nothing through and is logged with its
    /// key; a trusted client on the same server is served meanwhile.
    func testAnUntrustedClientIsRefusedAndLogged() throws {
        _ = try startZAPHandler(trusting: [trustedWorker], log: log)
        let (router, endpoint) = try curveServer()
        let stranger = try curveClient(strangerWorker, to: endpoint)
        try stranger.send(frames("READY", "stranger"))
        XCTAssertTrue(log.waitForLine(containing: strangerWorker.publicKey.z85, timeout: Self.patience), "\(log.all)")
        XCTAssertEqual(
            log.all.first, "refused CURVE client \(strangerWorker.publicKey.z85) from 127.0.0.1: its public key is not trusted")

        let worker = try curveClient(trustedWorker, to: endpoint)
        try worker.send(frames("READY", "worker"))
        XCTAssertEqual(text(try router.receive(timeout: Self.patience))?.dropFirst(), ["READY", "worker"])
        XCTAssertNil(try router.receive(timeout: Self.silence), "the stranger's message must not arrive")
        XCTAssertFalse(log.all.contains { $0.contains(trustedWorker.publicKey.z85) })
    }

    /// A plain (non-CURVE) client cannot talk to a CURVE server at all.
    func testAPlainClientGetsNothingThrough() throws {
        _ = try startZAPHandler(trusting: [trustedWorker], log: log)
        let (router, endpoint) = try curveServer()
        let plain = try connectedDealer(endpoint)
        try plain.send(frames("READY", "plain"))
        XCTAssertNil(try router.receive(timeout: Self.silence))
        let worker = try curveClient(trustedWorker, to: endpoint)
        try worker.send(frames("READY", "worker"))
        XCTAssertEqual(text(try router.receive(timeout: Self.patience))?.dropFirst(), ["READY", "worker"])
        XCTAssertNil(try router.receive(timeout: Self.silence))
    }

    /// A CURVE server cannot be made without a ZAP handler (it would admit everyone), and a
    /// server whose handler has stopped admits no one.
    func testWithoutAHandlerNoOneIsAdmitted() throws {
        XCTAssertThrowsError(try curveServer()) { error in
            XCTAssertEqual(
                error as? MessagingError,
                .misuse(operation: "zmq_socket", reason: "a CURVE server needs a running ZAPHandler on its context"))
        }
        let handler = try startZAPHandler(trusting: [trustedWorker], log: log)
        let (router, endpoint) = try curveServer()
        handler.stop()
        let worker = try curveClient(trustedWorker, to: endpoint)
        try worker.send(frames("READY", "worker"))
        XCTAssertNil(try router.receive(timeout: Self.silence))
    }

    func testOneHandlerPerContext() throws {
        _ = try startZAPHandler(trusting: [trustedWorker], log: log)
        XCTAssertThrowsError(try context.close()) { error in
            XCTAssertEqual(
                error as? MessagingError,
                .misuse(
                    operation: "zmq_ctx_term", reason: "1 socket(s) still open; close them (and stop the ZAPHandler) first"))
        }
        XCTAssertThrowsError(try startZAPHandler(trusting: [strangerWorker], log: log)) { error in
            guard case MessagingError.misuse(_, "a ZAP handler already serves this context") = error else {
                return XCTFail("\(error)")
            }
        }
    }

    /// The handler reads its trust folder's `*.pub` files; a missing or empty folder is an error.
    func testTrustFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertThrowsError(try ZAPHandler(context: context, trustDirectory: folder) { _ in }) { error in
            XCTAssertEqual(
                error as? MessagingError,
                .keyFile(path: folder, reason: "cannot list the trust folder (missing or unreadable)"))
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertThrowsError(try ZAPHandler(context: context, trustDirectory: folder) { _ in }) { error in
            XCTAssertEqual(
                error as? MessagingError, .keyFile(path: folder, reason: "the trust folder holds no *.pub key file"))
        }
        try trustedWorker.write(to: folder + "/w1")
        try FileManager.default.copyItem(atPath: folder + "/w1/key.pub", toPath: folder + "/worker-01.pub")
        let handler = try ZAPHandler(context: context, trustDirectory: folder) { _ in }
        XCTAssertEqual(handler.trusted, [trustedWorker.publicKey: "worker-01"])
        handler.stop()
    }
}
