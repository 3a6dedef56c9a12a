import ArgumentParser
import Foundation
import Messaging
import Network
import Pipeline
import Synchronization
import Tensor

/// `atelier worker`: solves tiles for a coordinator (DESIGN.md §3) until it is stopped. It loads
/// the network once, connects a DEALER socket (libzmq reconnects with back-off when the
/// coordinator is gone; the worker says READY again after a silence) and learns everything else
/// from the coordinator's STYLE and TASK messages. A handshake that fails (a refused key, the
/// wrong server key, CurveZMQ on one side only) is reported in one line within seconds, and the
/// worker connects again after a back-off.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Solve tiles for a coordinator, until stopped.",
        discussion: """
            Plain TCP to an address other than loopback is refused unless --keys and --server-key \
            (CurveZMQ) or --insecure are given.
            """)

    @Option(help: "The coordinator's endpoint, e.g. tcp://host:5555.")
    var connect: String

    @Option(help: "Threads for the engine (default: all cores).")
    var threads: Int?

    @Option(help: "This worker's key pair folder (key, key.pub), for CurveZMQ; needs --server-key.")
    var keys: String?

    @Option(help: "The folder holding the coordinator's public key (key.pub).")
    var serverKey: String?

    @Flag(help: "Allow plain TCP to an address other than loopback.")
    var insecure = false

    @Option(help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16).")
    var weights: String?

    /// For `bench scaling`: each tile sleeps this many seconds and returns its own pixels instead
    /// of being solved (no weights are loaded). Never the default.
    @Option(help: "Simulate: sleep SECONDS per tile and return its pixels unsolved (for bench scaling only).")
    var simulate: Double?

    /// For tests that must act while this worker holds a lease (cut its link mid-task): a task
    /// whose `level L round R tile T` starts with the text of this file waits at its start for as
    /// long as the file exists, the worker heartbeating meanwhile.
    @Option(help: .hidden)
    var holdTasks: String?

    func validate() throws {
        if (keys == nil) != (serverKey == nil) {
            throw ValidationError("--keys and --server-key go together: give both folders or neither")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
        if let simulate, !(simulate >= 0 && simulate <= 3600) {
            throw ValidationError("--simulate must be between 0 and 3600 seconds, not \(simulate)")
        }
        try Link.checkPlain(connect, flag: "--connect", secured: keys != nil, insecure: insecure)
    }

    /// The wait before connecting again after a failed handshake, doubled after each failure in
    /// a row up to `longestRetry` (a coordinator being restarted with its keys is back in seconds;
    /// a misconfigured worker should not hammer it).
    static let firstRetry = 1.0
    static let longestRetry = 30.0

    func run() throws {
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        Engine.setThreads(threads)
        let curve = try keys.map { CurveRole.client(try CurveKeyPair.read(from: $0), serverKey: try serverPublicKey()) }
        let solver: TileComputation = try simulate.map { SimulatedTileComputation(seconds: $0) }
            ?? TileSolver(weights: try VGGWeights(contentsOf: WeightsLocation.resolve(explicit: weights)))
        let name = "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let log = Link.log("worker")
        if let simulate { log("\(name) simulates: each tile sleeps \(simulate) s and is returned unsolved") }
        var options = Link.options(curve: curve)
        options.reconnectInterval = .milliseconds(100)
        options.reconnectIntervalMax = .seconds(5)
        log("\(name) connecting to \(connect) with \(threads) thread\(threads == 1 ? "" : "s"), BLAS kernel \(BLASKernel.current)")
        if let warning = BLASKernel.current.warning { log(warning) }
        var retry = Self.firstRetry
        while true {
            let attempt = try serve(solver: solver, name: name, threads: threads, options: options, log: log)
            if attempt.succeededBefore { retry = Self.firstRetry }
            log("\(attempt.failure); retrying in \(Int(retry)) s")
            Thread.sleep(forTimeInterval: retry)
            retry = min(retry * 2, Self.longestRetry)
        }
    }

    /// Connects a new socket and serves the coordinator until a handshake fails: libzmq does not
    /// reconnect after a refused key or a mechanism mismatch, and sends would wait forever.
    /// - Returns: the failure, and whether a handshake had succeeded on this socket before it.
    private func serve(
        solver: TileComputation, name: String, threads: Int, options: SocketOptions,
        log: @escaping @Sendable (String) -> Void
    ) throws -> (failure: HandshakeEvent, succeededBefore: Bool) {
        let context = try MessagingContext()
        let socket = try context.socket(.dealer, options: options)
        let handshakes = Handshakes()
        let monitor = try HandshakeMonitor(watching: socket, context: context) { handshakes.record($0) }
        defer {
            try? socket.close()
            monitor.stop()
            try? context.close()
        }
        try socket.connect(connect)
        let worker = TileWorker(
            socket: socket, solver: solver, name: name, threads: threads, log: log,
            taskStarted: { [holdTasks] key in
                log("solving level \(key.level) round \(key.round) tile \(key.tile)")
                if let holdTasks { Self.hold(key, while: holdTasks, log: log) }
            })
        try worker.run(stop: { handshakes.failure != nil })
        return (handshakes.failure!, handshakes.succeeded)
    }

    /// Waits while the file `path` exists and its text starts `key`'s `level L round R tile T`.
    private static func hold(_ key: TileResultKey, while path: String, log: (String) -> Void) {
        let words = "level \(key.level) round \(key.round) tile \(key.tile)"
        func holds() -> Bool {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
            let prefix = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return !prefix.isEmpty && words.hasPrefix(prefix)
        }
        guard holds() else { return }
        log("holding \(words) while \(path) exists")
        while holds() { usleep(20_000) }
    }

    /// The coordinator's public key, from `--server-key DIR`'s `key.pub`.
    private func serverPublicKey() throws -> CurveKey {
        try CurveKey(contentsOf: CurveKeyPair.publicKeyPath(in: serverKey!))
    }
}

/// The handshakes of a worker's socket as its monitor reports them: the first failure, and
/// whether one succeeded before it.
private final class Handshakes: Sendable {
    private let state = Mutex<(failure: HandshakeEvent?, succeeded: Bool)>((nil, false))

    func record(_ event: HandshakeEvent) {
        state.withLock { state in
            if !event.failed {
                if state.failure == nil { state.succeeded = true }
            } else if state.failure == nil {
                state.failure = event
            }
        }
    }

    var failure: HandshakeEvent? { state.withLock { $0.failure } }
    var succeeded: Bool { state.withLock { $0.succeeded } }
}
