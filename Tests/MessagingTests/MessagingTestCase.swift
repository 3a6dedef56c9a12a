import Foundation
import Messaging
import Synchronization
import XCTest

/// A test case with a messaging context of its own: sockets and ZAP handlers made through it are
/// closed in `tearDown`, and the context must then close cleanly (no socket left open).
class MessagingTestCase: XCTestCase {
    private(set) var context: MessagingContext!
    private var sockets: [MessageSocket] = []
    private var handlers: [ZAPHandler] = []

    /// How long a test waits for a message that should come; generous for a loaded machine, and
    /// only spent when something is wrong.
    static let patience = Duration.seconds(5)
    /// How long a test waits to be sure a message does not come.
    static let silence = Duration.milliseconds(400)

    override func setUpWithError() throws {
        context = try MessagingContext()
    }

    override func tearDownWithError() throws {
        for socket in sockets { try socket.close() }
        for handler in handlers { handler.stop() }
        sockets = []
        handlers = []
        try context.close()
        context = nil
    }

    /// A socket closed at tear-down.
    func makeSocket(_ kind: SocketKind, _ options: SocketOptions = SocketOptions()) throws -> MessageSocket {
        let socket = try context.socket(kind, options: options)
        sockets.append(socket)
        return socket
    }

    /// A ZAP handler trusting `keys`, stopped at tear-down (before the context closes).
    func startZAPHandler(trusting keys: [CurveKeyPair], log: RefusalLog) throws -> ZAPHandler {
        var trusted: [CurveKey: String] = [:]
        for (index, pair) in keys.enumerated() { trusted[pair.publicKey] = "trusted-\(index)" }
        let handler = try ZAPHandler(context: context, trusting: trusted) { log.append($0) }
        handlers.append(handler)
        return handler
    }

    /// A ROUTER bound to a free TCP port on the loopback, and the endpoint to connect to.
    func boundRouter(_ options: SocketOptions = SocketOptions()) throws -> (MessageSocket, String) {
        let router = try makeSocket(.router, options)
        try router.bind("tcp://127.0.0.1:*")
        return (router, try XCTUnwrap(router.lastEndpoint))
    }

    /// A DEALER connected to `endpoint`.
    func connectedDealer(_ endpoint: String, _ options: SocketOptions = SocketOptions()) throws -> MessageSocket {
        let dealer = try makeSocket(.dealer, options)
        try dealer.connect(endpoint)
        return dealer
    }
}

/// The lines a ZAP handler logs, gathered from its thread.
final class RefusalLog: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var all: [String] { lines.withLock { $0 } }

    /// Waits up to `timeout` for a line containing `text`.
    func waitForLine(containing text: String, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if all.contains(where: { $0.contains(text) }) { return true }
            usleep(10_000)
        }
        return false
    }
}

/// Frames as text, for readable assertions.
func text(_ frames: [Data]?) -> [String]? {
    frames?.map { String(decoding: $0, as: UTF8.self) }
}

/// A message of `strings` as frames.
func frames(_ strings: String...) -> [Data] {
    strings.map { Data($0.utf8) }
}
