import ArgumentParser
import Foundation
import Viewer

/// `atelier serve`: a deep-zoom viewer of large outputs over HTTP (issue 20). Tiles are read on
/// demand, by region, from the file's pyramid levels, so a 32768² BigTIFF is served in bounded
/// memory; a browser needs nothing from the network but this server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve images (a gigapixel BigTIFF too) to a pan-and-zoom viewer in the browser.",
        discussion: """
            Open the address printed on standard output. One file is shown at /; several get a \
            gallery there. /images/NAME.dzi is each file's Deep Zoom descriptor (its tiles at \
            /images/NAME_files/), and /metrics Prometheus's text format. Loopback only unless \
            --allow-remote is given: the images are then readable by anyone who can reach the port.
            """)

    @Argument(help: "The images to serve (any format atelier reads; a tiled BigTIFF's pyramid is used).")
    var files: [String]

    @Option(help: "The address and port to listen on (port 0 picks a free one).")
    var bind = "127.0.0.1:8080"

    @Flag(help: "Allow listening on an address other than loopback.")
    var allowRemote = false

    @Option(help: "The tiles' format: jpeg or png (lossless, larger).")
    var tileFormat = "jpeg"

    @Option(help: "JPEG quality of the tiles, 1…100.")
    var quality: Int?

    @Option(help: "Close a connection idle for this many seconds (a stalled client holds none longer).")
    var idleTimeout = 30.0

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one image file to serve") }
        guard TileFormat(rawValue: tileFormat) != nil else {
            throw ValidationError("--tile-format must be jpeg or png, not '\(tileFormat)'")
        }
        if let quality, !(1...100).contains(quality) {
            throw ValidationError("--quality must be in 1…100, not \(quality)")
        }
        guard idleTimeout > 0, idleTimeout <= 3600 else {
            throw ValidationError("--idle-timeout must be above 0 and at most 3600 seconds, not \(idleTimeout)")
        }
        let (host, _) = try Self.address(bind)
        if !allowRemote && !Link.isLoopback(host: host) {
            throw ValidationError(
                "--bind \(bind): \(host) is not a loopback address; the viewer would be open to the network "
                    + "(give --allow-remote to mean it)")
        }
    }

    func run() async throws {
        let (host, port) = try Self.address(bind)
        let configuration = ViewerConfiguration(
            host: host, port: port, tileFormat: TileFormat(rawValue: tileFormat)!, quality: quality,
            idleTimeout: .milliseconds(Int(idleTimeout * 1000)))
        let server = try ViewerServer(paths: files, configuration: configuration)
        // SIGINT and SIGTERM end the server cleanly (status 0): it only reads files.
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { server.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        try await server.run { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardOutput.write(
                Data("serving \(server.names.count) image(s) at http://\(shown):\(port)/\n".utf8))
        }
    }

    /// `HOST:PORT` or `[IPv6]:PORT` split in two.
    /// - Throws: `ValidationError` naming `flag` when it is not of that form or the port is off 0…65535.
    static func address(_ text: String, flag: String = "--bind") throws -> (host: String, port: Int) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ValidationError("\(flag) \(text): expected [IPv6]:PORT") }
            port = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            throw ValidationError("\(flag) \(text): expected HOST:PORT, e.g. 127.0.0.1:8080")
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else {
            throw ValidationError("\(flag) \(text): expected HOST:PORT with a port in 0…65535")
        }
        return (String(host), number)
    }
}
