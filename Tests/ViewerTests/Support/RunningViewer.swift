import Foundation
import Viewer

/// A `ViewerServer` listening on a free loopback port for one test, stopped when released, with
/// the log lines it wrote.
final class RunningViewer: @unchecked Sendable {
    let server: ViewerServer
    let port: Int
    private let task: Task<Void, Error>
    private let logLines: Locked<[String]>

    convenience init(paths: [String], configuration: ViewerConfiguration = .init(port: 0)) throws {
        let logLines = Locked<[String]>([])
        let server = try ViewerServer(paths: paths, configuration: configuration) { line in
            logLines.update { $0.append(line) }
        }
        try self.init(server: server, logLines: logLines)
    }

    /// The live view of `live` (PNG tiles, a free port).
    convenience init(live: LiveRun) throws {
        let logLines = Locked<[String]>([])
        let server = ViewerServer(live: live, configuration: .init(port: 0, tileFormat: .png)) { line in
            logLines.update { $0.append(line) }
        }
        try self.init(server: server, logLines: logLines)
    }

    private init(server: ViewerServer, logLines: Locked<[String]>) throws {
        self.server = server
        self.logLines = logLines
        let bound = Locked(0)
        task = Task { [server] in try await server.run { port in bound.update { $0 = port } } }
        let deadline = Date().addingTimeInterval(30)
        while bound.value == 0 && Date() < deadline { usleep(10_000) }
        port = bound.value
        guard port != 0 else { throw RawHTTP.Failure(description: "the viewer did not start listening") }
    }

    var http: RawHTTP { RawHTTP(port: port) }
    var log: [String] { logLines.value }

    deinit { task.cancel() }
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
