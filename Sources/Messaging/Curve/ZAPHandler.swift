import Foundation

/// The authority that admits CURVE clients (ZAP, RFC 27): it binds `inproc://zeromq.zap.01` in
/// its context, where libzmq sends a request for every client that completes a CURVE handshake
/// with a server socket of that context, and admits the client only if its public key is
/// trusted. It answers on a thread of its own until `stop()`.
///
/// Start it before making a CURVE server socket (`MessagingContext.socket` refuses one without
/// it); stop it after closing that socket and before closing the context. Should it stop while
/// a server is open, the server admits no one, never everyone (`ZMQ_ZAP_ENFORCE_DOMAIN`, a draft
/// option that Debian's libzmq 4.3.4 has; see `MessageSocket+Options.swift`).
public final class ZAPHandler: Sendable {
    /// The endpoint libzmq's ZAP requests go to (RFC 27).
    public static let endpoint = "inproc://zeromq.zap.01"
    /// How often the handler's thread looks for `stop()` between requests.
    static let stopCheckInterval = Duration.milliseconds(50)

    /// The trusted public keys, with their names (user ids).
    public let trusted: [CurveKey: String]
    private let context: MessagingContext
    private let thread: ServingThread

    /// Admits the clients whose public keys are the `*.pub` files of `trustDirectory`, read now.
    /// - Parameter log: called on the handler's thread with one line for each refused client.
    /// - Throws: `MessagingError.keyFile` for a missing or empty trust folder or a bad key file;
    ///   `.misuse` if a ZAP handler already serves `context`.
    public convenience init(
        context: MessagingContext, trustDirectory: String, log: @escaping @Sendable (String) -> Void
    ) throws {
        try self.init(context: context, trusting: try CurveKey.trusted(in: trustDirectory), log: log)
    }

    /// Admits the clients whose public keys are in `trusted` (key → name).
    public init(
        context: MessagingContext, trusting trusted: [CurveKey: String], log: @escaping @Sendable (String) -> Void
    ) throws {
        guard context.setZAPHandlerRunning(true) else {
            throw MessagingError.misuse(
                operation: "zmq_bind \(Self.endpoint)", reason: "a ZAP handler already serves this context")
        }
        let socket: MessageSocket
        do {
            socket = try context.socket(.reply)
            try socket.bind(Self.endpoint)
        } catch {
            _ = context.setZAPHandlerRunning(false)
            throw error
        }
        self.trusted = trusted
        self.context = context
        // The socket is handed to the thread here and used only there from now on.
        thread = ServingThread(name: "atelier-zap") { shouldStop in
            Self.serve(socket, trusted: trusted, log: log, shouldStop: shouldStop)
            try? socket.close()
        }
    }

    /// Stops answering and closes the handler's socket; returns once its thread is done (within
    /// `stopCheckInterval`). Stopping twice does nothing.
    public func stop() {
        if thread.stop() { _ = context.setZAPHandlerRunning(false) }
    }

    deinit { stop() }

    /// Answers requests until `shouldStop()` or a socket error (logged).
    private static func serve(
        _ socket: MessageSocket, trusted: [CurveKey: String], log: @Sendable (String) -> Void,
        shouldStop: () -> Bool
    ) {
        while !shouldStop() {
            do {
                guard let request = try socket.receive(timeout: stopCheckInterval) else { continue }
                let answer = ZAPRequest.answer(request, trusted: trusted)
                if let refusal = answer.refusal { log(refusal) }
                try socket.send(answer.reply)
            } catch {
                log("ZAP handler stopped: \(error)")
                return
            }
        }
    }
}
