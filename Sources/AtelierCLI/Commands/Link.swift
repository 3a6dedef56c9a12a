import ArgumentParser
import Foundation
import Messaging

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

    /// Whether a `tcp://HOST:PORT` endpoint's host is this machine's loopback.
    static func isLoopback(tcpEndpoint endpoint: String) -> Bool {
        let address = endpoint.dropFirst("tcp://".count)
        guard let colon = address.lastIndex(of: ":") else { return false }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.") || host == "lo"
    }

    /// Socket options shared by both ends: no linger (a process that exits must not wait for a
    /// dead peer) and ZMTP heartbeats, so a vanished peer's connection is dropped.
    static func options(curve: CurveRole?) -> SocketOptions {
        var options = SocketOptions()
        options.heartbeat = Heartbeat(interval: .seconds(1))
        options.curve = curve
        return options
    }

    /// Prints one log line on standard error, prefixed with the process's role.
    static func log(_ role: String) -> @Sendable (String) -> Void {
        { line in FileHandle.standardError.write(Data("\(role): \(line)\n".utf8)) }
    }
}
