internal import CZMQ
import Foundation

/// A ZeroMQ socket (ROUTER or DEALER) that sends and receives multipart messages, made by
/// `MessagingContext.socket(_:options:)`.
///
/// Thread safety: libzmq sockets must be used by one thread at a time, and may move between
/// threads only across a full memory barrier. The class is `@unchecked Sendable` so that a socket
/// can be created on one thread and handed to the thread that runs it (a worker's loop, the ZAP
/// handler); the hand-over itself (starting a thread, a lock, a queue) is that barrier. Never call
/// a socket from two threads at once: nothing here serialises the calls.
public final class MessageSocket: @unchecked Sendable {
    /// The libzmq socket; `nil` once closed.
    private var handle: UnsafeMutableRawPointer?
    /// Held so that the context outlives its sockets (`zmq_ctx_term` waits for them).
    private let context: MessagingContext

    init(handle: UnsafeMutableRawPointer, context: MessagingContext) {
        self.handle = handle
        self.context = context
    }

    /// The socket handle for `operation`, or an error if the socket is closed.
    func openHandle(_ operation: String) throws -> UnsafeMutableRawPointer {
        guard let handle else { throw MessagingError.misuse(operation: operation, reason: "the socket is closed") }
        return handle
    }

    /// Accepts connections on `endpoint` (`zmq_bind`): `tcp://127.0.0.1:5555`, `tcp://*:5555`,
    /// `tcp://127.0.0.1:*` for a port the system picks (read it back from `lastEndpoint`), or
    /// `inproc://name` within this context.
    /// - Throws: `MessagingError.endpoint` if the endpoint is malformed, in use or not available.
    public func bind(_ endpoint: String) throws {
        let handle = try openHandle("zmq_bind")
        try endpointCall("zmq_bind", endpoint) { zmq_bind(handle, endpoint) }
    }

    /// Connects to `endpoint` (`zmq_connect`). The connection is made, and remade after a loss,
    /// in the background: a peer that is not there yet is not an error.
    /// - Throws: `MessagingError.endpoint` if the endpoint is malformed.
    public func connect(_ endpoint: String) throws {
        let handle = try openHandle("zmq_connect")
        try endpointCall("zmq_connect", endpoint) { zmq_connect(handle, endpoint) }
    }

    /// The endpoint this socket last bound or connected to, with the port the system chose for
    /// a `*` port (`ZMQ_LAST_ENDPOINT`); `nil` before any bind or connect.
    public var lastEndpoint: String? {
        get throws {
            let handle = try openHandle("zmq_getsockopt(ZMQ_LAST_ENDPOINT)")
            var buffer = [CChar](repeating: 0, count: 1024)
            var size = buffer.count
            try LibZMQ.call("zmq_getsockopt(ZMQ_LAST_ENDPOINT)") {
                zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
            }
            let endpoint = LibZMQ.string(buffer)
            return endpoint.isEmpty ? nil : endpoint
        }
    }

    /// Sends one multipart message (`zmq_send` with `ZMQ_SNDMORE` on all frames but the last).
    /// On a ROUTER the first frame is the routing id of the peer to send to. libzmq delivers a
    /// multipart message whole or not at all.
    /// - Throws: `MessagingError.misuse` for an empty message, `.timedOut` if `sendTimeout`
    ///   passed with the peer's queue full, `.peerUnreachable` for an unknown routing id on a
    ///   ROUTER with `routerMandatory`.
    public func send<Frame: ContiguousBytes>(_ frames: [Frame]) throws {
        let handle = try openHandle("zmq_send")
        guard !frames.isEmpty else { throw MessagingError.misuse(operation: "zmq_send", reason: "a message needs a frame") }
        for (index, frame) in frames.enumerated() {
            let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            _ = try frame.withUnsafeBytes { bytes in
                try LibZMQ.call("zmq_send") { zmq_send(handle, bytes.baseAddress, bytes.count, flags) }
            }
        }
    }

    /// Receives one multipart message, waiting at most `timeout` (`nil`: as long as it takes;
    /// `.zero`: only a message already queued).
    /// - Returns: the frames (on a ROUTER, the sender's routing id first), or `nil` if no message
    ///   came in time.
    public func receive(timeout: Duration?) throws -> [Data]? {
        let handle = try openHandle("zmq_msg_recv")
        guard try Poller.readable([handle], timeout: timeout)[0] else { return nil }
        var message = zmq_msg_t()
        try LibZMQ.call("zmq_msg_init") { zmq_msg_init(&message) }
        defer { _ = try? LibZMQ.call("zmq_msg_close") { zmq_msg_close(&message) } }
        var frames: [Data] = []
        repeat {
            do {
                // The poll said a message is there; the frames of a multipart message arrive
                // together, so none of these reads waits.
                try LibZMQ.call("zmq_msg_recv") { zmq_msg_recv(&message, handle, ZMQ_DONTWAIT) }
            } catch MessagingError.timedOut where frames.isEmpty {
                return nil  // EAGAIN right after a readable poll: treated as no message, as documented
            }
            frames.append(Data(bytes: zmq_msg_data(&message), count: zmq_msg_size(&message)))
        } while zmq_msg_more(&message) == 1
        return frames
    }

    /// Closes the socket (`zmq_close`). Messages still queued are delivered for at most the
    /// socket's `linger` while the context is open. Closing twice does nothing.
    public func close() throws {
        guard let handle else { return }
        self.handle = nil
        defer { context.socketClosed() }
        try LibZMQ.call("zmq_close") { zmq_close(handle) }
    }

    /// Closes a socket its owner did not close: `zmq_close` cannot block (lingering happens in
    /// libzmq's own threads) and has nothing to report for a valid handle, so, unlike a file
    /// writer that must flush (STYLE.md §4), a socket dropped on an error path is closed here.
    deinit {
        if handle != nil { try? close() }
    }

    /// A bind or connect: any failure is about the endpoint the caller gave.
    private func endpointCall(_ operation: String, _ endpoint: String, _ body: () -> Int32) throws {
        do {
            try LibZMQ.call(operation, body)
        } catch MessagingError.call(_, _, let reason) {
            throw MessagingError.endpoint(endpoint, operation: operation, reason: reason)
        }
    }
}
