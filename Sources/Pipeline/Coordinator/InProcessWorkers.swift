import Foundation
import Messaging

/// A coordinator and its workers in one process, over `inproc://` (DESIGN.md §3: `atelier
/// stylize` on one machine runs the same coordinator as a cluster, with its workers on threads).
/// Make it, pass `coordinator` to `TiledStylizer.run(executor:)`, then `shutdown()`.
public final class InProcessWorkers {
    public let coordinator: TileCoordinator
    public let endpoint: String
    private let context: MessagingContext
    private let router: MessageSocket
    /// Every socket's options: the protocol's frame size cap.
    private let options: SocketOptions
    private var sockets: [MessageSocket] = []
    private let threads = WorkerThreads()

    /// Starts `count` workers, each on its own thread with the solver `makeSolver` gives it (a
    /// solver, and its network, serve one worker only); none for a coordinator whose workers are
    /// other processes (`bench scaling`).
    /// - Parameter bind: where the coordinator listens (default: a fresh `inproc://` name;
    ///   `tcp://127.0.0.1:*` puts the same messages through the loopback, for `bench pipeline`).
    /// - Throws: `MessagingError` if the sockets cannot be made.
    public init(
        count: Int, settings: TileCoordinator.Settings = TileCoordinator.Settings(), bind: String? = nil,
        makeSolver: () throws -> TileComputation, log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        precondition(count >= 0, "a negative worker count")
        context = try MessagingContext()
        // (libzmq checks the size of frames from TCP and IPC peers only; set anyway, so that a
        // `tcp://` bind for `bench pipeline` has the cap of a cluster's coordinator.)
        var options = SocketOptions()
        options.maxMessageSize = Frame.socketLimit(payloadLimit: settings.messageLimit)
        self.options = options
        router = try context.socket(.router, options: options)
        try router.bind(bind ?? "inproc://atelier-\(UUID().uuidString)")
        endpoint = try router.lastEndpoint ?? bind!
        coordinator = TileCoordinator(socket: router, settings: settings, log: log)
        for index in 0..<count {
            let socket = try context.socket(.dealer, options: options)
            sockets.append(socket)
            try socket.connect(endpoint)
            let worker = TileWorker(
                socket: socket, solver: try makeSolver(), name: "worker \(index + 1)",
                heartbeatInterval: settings.board.heartbeatInterval, liveness: settings.board.liveness, log: log)
            threads.start(worker)
        }
    }

    /// Another DEALER connected to the coordinator (a scripted or foreign peer, for tests); its
    /// owner closes it before `shutdown()`.
    public func peer() throws -> MessageSocket {
        let socket = try context.socket(.dealer, options: options)
        try socket.connect(endpoint)
        return socket
    }

    /// Stops the workers (each finishes the tile it holds), closes every socket and the context.
    /// - Throws: `PipelineError.task` naming a worker whose loop failed; `MessagingError`.
    public func shutdown() throws {
        threads.stopAndWait()
        for socket in sockets + [router] { try socket.close() }
        try context.close()
        if let failure = threads.firstFailure { throw PipelineError.task(reason: failure) }
    }
}

/// The worker threads: started one per worker, stopped together, their failures kept.
private final class WorkerThreads: @unchecked Sendable {
    private let lock = NSLock()
    private let group = DispatchGroup()
    private var stopping = false
    private var failures: [String] = []

    func start(_ worker: TileWorker) {
        group.enter()
        Thread { [self] in
            defer { group.leave() }
            do {
                try worker.run(stop: { lock.withLock { stopping } })
            } catch {
                lock.withLock { failures.append("\(worker.name): \(error)") }
            }
        }.start()
    }

    func stopAndWait() {
        lock.withLock { stopping = true }
        group.wait()
    }

    var firstFailure: String? { lock.withLock { failures.first } }
}
