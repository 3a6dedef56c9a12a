internal import CZMQ

/// Waits on several sockets at once (`zmq_poll`) and says which have a message to receive: a
/// coordinator's loop over its ROUTER and its control sockets, with a timeout that drives its
/// heartbeats. The sockets stay owned by the caller's thread (see `MessageSocket`).
public struct Poller: Sendable {
    public let sockets: [MessageSocket]

    public init(_ sockets: [MessageSocket]) {
        self.sockets = sockets
    }

    /// Waits at most `timeout` (`nil`: as long as it takes) until at least one socket has a
    /// message.
    /// - Returns: the sockets with a message, in the order given; empty if the time ran out.
    public func readable(timeout: Duration?) throws -> [MessageSocket] {
        let handles = try sockets.map { try $0.openHandle("zmq_poll") }
        let ready = try Self.readable(handles, timeout: timeout)
        return zip(sockets, ready).filter { $0.1 }.map { $0.0 }
    }

    /// `zmq_poll` for input on `handles`; a signal (EINTR) resumes the wait with what is left of
    /// `timeout`.
    static func readable(_ handles: [UnsafeMutableRawPointer], timeout: Duration?) throws -> [Bool] {
        var items = handles.map { zmq_pollitem_t(socket: $0, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        _ = try items.withUnsafeMutableBufferPointer { buffer in
            try LibZMQ.call("zmq_poll") {
                let left = deadline.map { ContinuousClock.now.duration(to: $0) }
                return zmq_poll(buffer.baseAddress, Int32(buffer.count), Int(LibZMQ.milliseconds(left)))
            }
        }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
