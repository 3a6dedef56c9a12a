import Dispatch
import Foundation
import Messaging
import Synchronization

/// The worker's side of DESIGN.md §3 on a connected DEALER socket: it says READY, builds each
/// level's style bank from the STYLE it is sent, solves TASKs and returns RESULTs (or an ERROR
/// naming the task), and heartbeats every interval. Tiles are solved on a queue of their own so
/// that the socket loop keeps heartbeating while a tile takes many seconds.
///
/// `@unchecked Sendable` because each part has one owner: the socket is used by `run`'s thread
/// only, the solver by the serial compute queue only, and the outbox is behind a mutex.
public final class TileWorker: @unchecked Sendable {
    public let name: String
    public let heartbeatInterval: Double
    /// Heartbeat intervals without a word from the coordinator after which the worker says
    /// READY again (a restarted coordinator learns of it; libzmq reconnects by itself).
    public let liveness: Int
    private let socket: MessageSocket
    private let solver: TileComputation
    private let log: @Sendable (String) -> Void
    /// Engine threads this worker runs with (told to the coordinator in READY).
    public let threads: Int
    /// Called on the compute queue as each task starts (a worker process logs it).
    private let taskStarted: @Sendable (TileResultKey) -> Void
    private let compute = DispatchQueue(label: "atelier.tile-worker")
    /// Messages finished on the compute queue, waiting for the socket loop to send them.
    private let outbox = Mutex<[Message]>([])
    /// Tasks handed to the compute queue whose reply is not yet in the outbox.
    private let inFlight = Atomic<Int>(0)

    /// - Parameters:
    ///   - socket: a DEALER socket, connected to the coordinator; used from `run`'s thread only.
    public init(socket: MessageSocket, solver: TileComputation, name: String, heartbeatInterval: Double = 1,
                liveness: Int = 3, threads: Int = 1, log: @escaping @Sendable (String) -> Void = { _ in },
                taskStarted: @escaping @Sendable (TileResultKey) -> Void = { _ in }) {
        self.liveness = liveness
        self.threads = threads
        self.taskStarted = taskStarted
        self.socket = socket
        self.solver = solver
        self.name = name
        self.heartbeatInterval = heartbeatInterval
        self.log = log
    }

    /// Serves the coordinator until `stop` returns true (checked several times per heartbeat).
    /// - Throws: `PipelineError.task` when the coordinator refuses this worker (another protocol
    ///   version); the socket's errors.
    public func run(stop: () -> Bool) throws {
        try send(.ready(ReadyMessage(worker: name, threads: threads)))
        var lastSent = Date(), lastHeard = Date()
        var sequence: UInt64 = 0
        let idlePoll = Duration.milliseconds(max(1, Int(heartbeatInterval * 100)))
        while !stop() {
            // While a tile is being solved the loop looks at the outbox every millisecond, so that
            // a result waits for the socket at most that long (not a whole idle poll: ~80 ms per
            // tile in `bench pipeline` before).
            // (A reply goes into the outbox before its task leaves `inFlight`, hence this order.)
            let busy = inFlight.load(ordering: .acquiring) > 0 || outbox.withLock { !$0.isEmpty }
            let poll = busy ? Duration.milliseconds(1) : idlePoll
            if let frames = try socket.receive(timeout: poll), let payload = frames.last {
                lastHeard = Date()
                do {
                    try accept(try Message.decode(Array(payload)))
                } catch let error as PipelineError {
                    throw error
                } catch {
                    log("\(name): dropped a message from the coordinator: \(error)")
                }
            }
            for message in outbox.withLock({ queued in defer { queued.removeAll() }; return queued }) {
                try send(message)
                lastSent = Date()
            }
            if Date().timeIntervalSince(lastHeard) > heartbeatInterval * Double(liveness) {
                log("\(name): no word from the coordinator; saying READY again")
                try send(.ready(ReadyMessage(worker: name, threads: threads)))
                lastHeard = Date()
                lastSent = lastHeard
            } else if Date().timeIntervalSince(lastSent) >= heartbeatInterval {
                sequence += 1
                try send(.heartbeat(HeartbeatMessage(sequence: sequence)))
                lastSent = Date()
            }
        }
        compute.sync {}  // let a tile in progress finish before the solver goes away
    }

    private func accept(_ message: Message) throws {
        switch message {
        case .style(let style):
            compute.async { [self] in
                do { try solver.prepare(style) } catch { log("\(name): style set \(style.styleSet): \(error)") }
            }
        case .task(let task):
            inFlight.add(1, ordering: .releasing)
            compute.async { [self] in
                let reply: Message
                taskStarted(task.key)
                do {
                    reply = .result(try solver.solve(task))
                } catch {
                    reply = .error(ErrorMessage(key: task.key, reason: "\(error)"))
                }
                outbox.withLock { $0.append(reply) }
                inFlight.subtract(1, ordering: .releasing)
            }
        case .error(let report) where report.key == nil:
            throw PipelineError.task(reason: "the coordinator refused this worker: \(report.reason)")
        case .heartbeat, .error, .ready, .result:
            break
        }
    }

    private func send(_ message: Message) throws {
        try socket.send([Data(message.encoded())])
    }
}
