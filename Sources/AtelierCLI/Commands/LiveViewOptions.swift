import ArgumentParser
import Foundation
import Pipeline
import Viewer

/// `--http ADDR` and `--allow-remote` of `coordinator` and `stylize`: a live view of the run in
/// the browser, with `/metrics`, on the viewer's HTTP server (loopback unless allowed otherwise,
/// the same rule as `serve`).
struct LiveViewOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Serve a live view of the run (and /metrics) at this address and port, e.g. 127.0.0.1:8081.",
        valueName: "host:port"))
    var http: String?

    @Flag(help: "Allow --http on an address other than loopback (the run's pictures are then visible to the network).")
    var allowRemote = false

    func validate() throws {
        guard let http else {
            if allowRemote { throw ValidationError("--allow-remote goes with --http") }
            return
        }
        let (host, _) = try ServeCommand.address(http, flag: "--http")
        if !allowRemote && !Link.isLoopback(host: host) {
            throw ValidationError(
                "--http \(http): \(host) is not a loopback address; the live view would be open to the network "
                    + "(give --allow-remote to mean it)")
        }
    }

    /// Starts the live view when `--http` was given and runs `body` with it; the server stops
    /// when `body` returns or throws.
    /// - Throws: `UsageError` when the address cannot be listened on, before `body` runs.
    func withLiveView<Result>(_ body: (LiveRun?) throws -> Result) throws -> Result {
        guard let http else { return try body(nil) }
        let (host, port) = try ServeCommand.address(http, flag: "--http")
        let live = LiveRun()
        let server = ViewerServer(
            live: live, configuration: ViewerConfiguration(host: host, port: port, tileFormat: .png),
            log: { line in FileHandle.standardError.write(Data("live view: \(line)\n".utf8)) })
        let outcome = Locked<Swift.Result<Int, any Error>?>(nil)
        let started = DispatchSemaphore(value: 0)
        let task = Task.detached {
            do {
                try await server.run { port in
                    outcome.set(.success(port))
                    started.signal()
                }
            } catch {
                if outcome.get() == nil {
                    outcome.set(.failure(error))
                    started.signal()
                }
            }
        }
        started.wait()
        defer {
            server.stop()
            task.cancel()
        }
        switch outcome.get()! {
        case .failure(let error):
            throw UsageError("--http \(http): cannot listen there: \(error)")
        case .success(let bound):
            let shown = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardError.write(Data("live view at http://\(shown):\(bound)/\n".utf8))
        }
        do {
            let result = try body(live)
            live.finish()
            return result
        } catch {
            live.finish(failed: true)
            throw error
        }
    }
}

/// A value handed between a server task and the command's thread.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
