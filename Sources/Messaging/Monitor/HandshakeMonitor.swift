internal import CZMQ
import Foundation

/// Watches the ZMTP handshakes of one socket (`zmq_socket_monitor`) and calls `handler` with each
/// outcome, on a thread of its own, until `stop()`. libzmq publishes the events on an
/// `inproc://` PAIR socket of the watched socket's context, which the monitor reads.
///
/// A failed handshake is otherwise invisible: a CURVE client with the wrong server key, or a
/// plain client of a CURVE server, is silently dropped, and a DEALER whose only connection failed
/// that way waits forever in `zmq_send`. libzmq does not reconnect after a protocol error; the
/// owner decides (a worker makes a new socket after a back-off).
///
/// Start it right after making the socket, on the socket's thread; stop it before closing the
/// context (its PAIR socket counts among the context's open sockets).
public final class HandshakeMonitor: Sendable {
    /// How often the monitor's thread looks for `stop()` between events.
    static let stopCheckInterval = Duration.milliseconds(50)

    private let thread: ServingThread

    /// - Parameters:
    ///   - socket: the socket to watch, before it binds or connects (so no handshake is missed).
    ///   - handler: called on the monitor's thread with each handshake's outcome.
    /// - Throws: `MessagingError` if libzmq cannot start the monitor.
    public init(
        watching socket: MessageSocket, context: MessagingContext,
        handler: @escaping @Sendable (HandshakeEvent) -> Void
    ) throws {
        let endpoint = "inproc://atelier-monitor-\(UUID().uuidString)"
        let handle = try socket.openHandle("zmq_socket_monitor")
        try LibZMQ.call("zmq_socket_monitor") { zmq_socket_monitor(handle, endpoint, HandshakeEvent.mask) }
        let events = try context.socket(.pair)
        try events.connect(endpoint)
        // The PAIR socket is handed to the thread here and used only there from now on.
        thread = ServingThread(name: "atelier-monitor") { shouldStop in
            while !shouldStop() {
                do {
                    guard let frames = try events.receive(timeout: Self.stopCheckInterval) else { continue }
                    if let event = HandshakeEvent(frames: frames) { handler(event) }
                } catch {
                    break  // only a closed socket or context: nothing more will come
                }
            }
            try? events.close()
        }
    }

    /// Stops watching and closes the monitor's socket; returns once its thread is done (within
    /// `stopCheckInterval`). Stopping twice does nothing.
    public func stop() {
        thread.stop()
    }

    deinit { stop() }
}
