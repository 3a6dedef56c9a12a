import ArgumentParser
import Foundation
import Messaging
import Pipeline

/// The link between a coordinator and its workers (DESIGN.md §3): CurveZMQ when key folders are
/// given, plain ZMTP otherwise, and plain TCP beyond this machine only when asked for.
enum Link {
    /// Refuses plain TCP on an address other than loopback unless `insecure` (anyone on the
    /// network could then send tasks or read images). `ipc://` and `inproc://` stay on the machine.
    /// - Throws: `ValidationError` naming the flag, the endpoint and the two ways out.
    static func checkPlain(_ endpoint: String, flag: String, secured: Bool, insecure: Bool) throws {
        guard !secured, !insecure, endpoint.hasPrefix("tcp://") else { return }
        guard !isLoopback(tcpEndpoint: endpoint) else { return }
        throw ValidationError(
            "\(flag) \(endpoint): plain TCP on a non-loopback address is refused; give key folders "
                + "(atelier keys generate) or --insecure")
    }

    /// Whether a `tcp://HOST:PORT` endpoint stays on this machine: every address its host resolves
    /// to is in 127.0.0.0/8 or is ::1. A host is judged by its numeric addresses, never by its
    /// spelling (`127.attacker.invalid` is a DNS name like any other). With libzmq's
    /// `tcp://SOURCE;HOST:PORT` both ends must be loopback.
    static func isLoopback(tcpEndpoint endpoint: String) -> Bool {
        let parts = endpoint.dropFirst("tcp://".count).split(separator: ";", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in host(of: part).map(isLoopback(host:)) ?? false }
    }

    /// The host of `HOST:PORT`, `[IPv6]:PORT`, or of a source address given without a port.
    private static func host(of address: Substring) -> String? {
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return nil }
            return String(address[address.index(after: address.startIndex)..<close])
        }
        guard let colon = address.lastIndex(of: ":") else { return address.isEmpty ? nil : String(address) }
        return String(address[..<colon])
    }

    /// Whether every address `host` resolves to (`getaddrinfo`) is loopback. A host that does not
    /// resolve is not, except `lo`, the loopback interface's name, which `zmq_bind` accepts.
    static func isLoopback(host: String) -> Bool {
        guard !host.isEmpty, host != "*" else { return false }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return host == "lo" }
        defer { freeaddrinfo(first) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            guard let address = entry.pointee.ai_addr, isLoopback(address) else { return false }
            node = entry.pointee.ai_next
        }
        return true
    }

    /// Whether one resolved address is 127.0.0.0/8, ::1, or an IPv4-mapped 127.0.0.0/8.
    private static func isLoopback(_ address: UnsafeMutablePointer<sockaddr>) -> Bool {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                UInt32(bigEndian: ipv4.pointee.sin_addr.s_addr) >> 24 == 127
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                let bytes = withUnsafeBytes(of: ipv6.pointee.sin6_addr) { Array($0) }
                let mapped: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
                let localhost: [UInt8] = Array(repeating: 0, count: 15) + [1]
                return bytes == localhost || (bytes.prefix(12).elementsEqual(mapped) && bytes[12] == 127)
            }
        default:
            return false
        }
    }

    /// Socket options shared by both ends: no linger (a process that exits must not wait for a
    /// dead peer), ZMTP heartbeats, so a vanished peer's connection is dropped, and the protocol's
    /// frame size cap, so a peer's oversize frame is refused before it is received.
    static func options(curve: CurveRole?) -> SocketOptions {
        var options = SocketOptions()
        options.heartbeat = Heartbeat(interval: .seconds(1))
        options.maxMessageSize = Frame.socketLimit()
        options.curve = curve
        return options
    }

    /// Logs each failed handshake on the coordinator's socket in one line: a worker with the
    /// wrong server key, or with keys where none are expected or none where they are. (A key the
    /// ZAP handler refuses is logged by the handler, with its reason.)
    static func logHandshakeFailures(
        of socket: MessageSocket, context: MessagingContext, log: @escaping @Sendable (String) -> Void
    ) throws -> HandshakeMonitor {
        try HandshakeMonitor(watching: socket, context: context) { event in
            if case .refused = event.outcome { return }
            if event.failed { log("a peer's \(event)") }
        }
    }

    /// Prints one log line on standard error, prefixed with the process's role.
    static func log(_ role: String) -> @Sendable (String) -> Void {
        { line in FileHandle.standardError.write(Data("\(role): \(line)\n".utf8)) }
    }
}
