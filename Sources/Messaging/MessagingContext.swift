internal import CZMQ
import Synchronization

/// A ZeroMQ context (`zmq_ctx_new`): the I/O threads and the `inproc://` namespace that its
/// sockets share. Make one per process (or per test), create sockets from it, close the sockets,
/// then `close()` it.
///
/// Thread safety: a context may be used from any thread (libzmq's contexts are thread-safe), so
/// the class is `Sendable`; its own bookkeeping is behind a mutex. Its sockets are not: see
/// `MessageSocket`.
public final class MessagingContext: @unchecked Sendable {
    /// The libzmq context, valid until `close()` or `deinit` terminates it.
    private let handle: UnsafeMutableRawPointer
    private let state = Mutex(State())

    private struct State {
        var closed = false
        /// Sockets created and not yet closed: `zmq_ctx_term` waits for every one of them, so
        /// closing the context while any is open would hang; `close()` refuses instead.
        var openSockets = 0
        /// Whether a `ZAPHandler` is serving this context: a CURVE server without one would
        /// admit every client.
        var zapHandlerRunning = false
    }

    /// Creates a context (`zmq_ctx_new`).
    /// - Throws: `MessagingError.call` if libzmq cannot create one (out of file descriptors).
    public init() throws {
        handle = try LibZMQ.call("zmq_ctx_new") { zmq_ctx_new() }
    }

    /// Creates a socket of `kind` with `options` applied before it binds or connects.
    /// - Throws: `MessagingError` if the context is closed, an option is out of libzmq's range,
    ///   or `options.curve` makes a CURVE server while no `ZAPHandler` serves this context.
    public func socket(_ kind: SocketKind, options: SocketOptions = SocketOptions()) throws -> MessageSocket {
        if case .server = options.curve, !state.withLock({ $0.zapHandlerRunning }) {
            throw MessagingError.misuse(
                operation: "zmq_socket", reason: "a CURVE server needs a running ZAPHandler on its context")
        }
        let socket = try registerSocket { try LibZMQ.call("zmq_socket") { zmq_socket(handle, kind.rawValue) } }
        do {
            try socket.apply(options)
        } catch {
            try? socket.close()
            throw error
        }
        return socket
    }

    /// Runs `body` with a new socket and closes the socket afterwards, whether `body` returns or
    /// throws.
    public func withSocket<Result>(
        _ kind: SocketKind, options: SocketOptions = SocketOptions(), _ body: (MessageSocket) throws -> Result
    ) throws -> Result {
        let socket = try self.socket(kind, options: options)
        defer { try? socket.close() }
        return try body(socket)
    }

    /// Terminates the context (`zmq_ctx_term`). Close every socket first (stop a `ZAPHandler`
    /// with `stop()`): libzmq would wait for them forever, so an open socket is refused here.
    /// Closing twice does nothing.
    /// - Throws: `MessagingError.misuse` naming how many sockets are still open.
    public func close() throws {
        let open = try state.withLock { state -> Bool in
            if state.closed { return false }
            guard state.openSockets == 0 else {
                let hint = state.zapHandlerRunning ? " (and stop the ZAPHandler)" : ""
                throw MessagingError.misuse(
                    operation: "zmq_ctx_term", reason: "\(state.openSockets) socket(s) still open; close them\(hint) first")
            }
            state.closed = true
            return true
        }
        if open { try LibZMQ.call("zmq_ctx_term") { zmq_ctx_term(handle) } }
    }

    /// Terminates the context if its owner did not. Every socket holds its context, so when this
    /// runs no socket of it is open and `zmq_ctx_term` returns at once (sockets linger 0 by
    /// default; a longer linger bounds the wait). Unlike a file writer (STYLE.md §4) there is
    /// nothing to flush or report, so closing here is safe.
    deinit {
        if !state.withLock({ $0.closed }) { _ = try? LibZMQ.call("zmq_ctx_term") { zmq_ctx_term(handle) } }
    }

    // MARK: - Bookkeeping for sockets and the ZAP handler

    /// Creates a socket handle with `make` and counts it open, unless the context is closed.
    private func registerSocket(_ make: () throws -> UnsafeMutableRawPointer) throws -> MessageSocket {
        try state.withLock { state in
            guard !state.closed else {
                throw MessagingError.misuse(operation: "zmq_socket", reason: "the context is closed")
            }
            let socket = MessageSocket(handle: try make(), context: self)
            state.openSockets += 1
            return socket
        }
    }

    /// Called by `MessageSocket` once its handle is closed.
    func socketClosed() {
        state.withLock { $0.openSockets -= 1 }
    }

    /// Marks whether a ZAP handler serves this context; `false` if one already does.
    func setZAPHandlerRunning(_ running: Bool) -> Bool {
        state.withLock { state in
            if running && state.zapHandlerRunning { return false }
            state.zapHandlerRunning = running
            return true
        }
    }
}
