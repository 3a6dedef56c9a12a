import Foundation
import ImageIO
import Messaging
import Transfer

/// The coordinator's side of DESIGN.md §3 on a bound ROUTER socket: workers say READY, get
/// the level's STYLE once and then TASKs, send RESULTs, and heartbeat; the `TaskBoard` decides
/// who gets what, requeues the tasks of workers that fall silent and ignores duplicates. Every
/// result is checked before it is handed to `TiledStylizer`, which stores the round's results and
/// blends them in tile order, so the output does not depend on the workers: its sender said READY
/// on its connection and holds a lease of its tile, the tile is one of the round's, and its pixels
/// fill the tile's result rectangle with three channels of values within the solver's bounds.
/// Anything else is logged in one line and dropped; a peer is trusted with nothing before READY.
///
/// A worker is leased tasks and sent heartbeats only once it has said READY on its current
/// connection, and again after it was declared dead. libzmq re-establishes a connection by itself
/// after a partition (often under a new routing id) without the worker knowing: such a peer hears
/// nothing, so its liveness runs out and it says READY again, rather than heartbeating forever
/// unseen by `dispatch`.
public final class TileCoordinator: TileExecutor {
    public struct Settings: Sendable {
        public var board = TaskBoard.Settings()
        /// The largest message accepted from a worker, in bytes.
        public var messageLimit = Frame.defaultLimit
        public init() {}
    }

    public let settings: Settings
    public let board: TaskBoard
    private let socket: MessageSocket
    private let log: (String) -> Void
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    /// The style set each worker holds (sent once per level per worker).
    private var styles: [WorkerID: (job: String, styleSet: UInt64)] = [:]
    /// Workers waiting for a task, in name order.
    private var idle: Set<WorkerID> = []
    /// Workers that said READY and have not been declared dead since: the only ones leased tasks
    /// and sent heartbeats.
    private var introduced: Set<WorkerID> = []
    /// The result rectangle of every task handed out: a result must fill exactly its tile's.
    private var expected: [TileResultKey: PixelRect] = [:]
    private var lastHeartbeat = -Double.infinity
    private var heartbeatSequence: UInt64 = 0
    /// The name each worker gave in its READY (for logs and the run's summary).
    public private(set) var names: [WorkerID: String] = [:]
    /// Results accepted from each worker, by the name it gave (its id if it gave none).
    public private(set) var tilesDone: [String: Int] = [:]
    /// The SGEMM kernel each worker reported in READY, by the name it gave (for the run's summary).
    public private(set) var kernels: [String: String] = [:]
    private var warnedOfKernels = false
    /// Called after each accepted result, for live progress.
    public var resultAccepted: (RoundProgress) -> Void = { _ in }
    /// Called on every pass of the loop (several times per heartbeat interval); a throw ends the
    /// round there, with every result accepted so far already handed to `accept` (the command
    /// line stops on SIGINT/SIGTERM with it, leaving a resumable run directory).
    public var checkInterruption: () throws -> Void = {}

    /// Where the round in progress stands.
    public struct RoundProgress: Sendable {
        public var key: TileResultKey
        public var done: Int
        public var total: Int
        /// Workers heard from within their liveness, since they said READY.
        public var workersAlive: Int
    }

    /// - Parameters:
    ///   - socket: a ROUTER socket, bound; the coordinator uses it from the calling thread only.
    ///   - log: one line per notable event (a dead worker, a dropped message).
    public init(socket: MessageSocket, settings: Settings = Settings(), log: @escaping (String) -> Void = { _ in }) {
        self.socket = socket
        self.settings = settings
        self.board = TaskBoard(settings: settings.board)
        self.log = log
        start = clock.now
    }

    /// The most messages read in one pass of the loop before the board is looked at again.
    static let messagesPerPass = 256

    /// Seconds since the coordinator started: the board's clock.
    private var now: Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage,
        accept: (TileResultRecord) throws -> Void
    ) throws {
        let round = Set(keys)
        var accepted = 0
        board.add(keys)
        let poll = Duration.milliseconds(max(1, Int(settings.board.heartbeatInterval * 250)))
        while !keys.allSatisfy({ board.isDone($0) || board.abandoned[$0] != nil }) {
            try checkInterruption()
            // Everything already queued is read before anyone is declared dead: after a pause of the
            // coordinator (the next level's or the next job's inputs being made), a live worker's
            // heartbeats may wait behind the others'. Bounded, so that a flood cannot stall dispatch.
            var next = try socket.receive(timeout: poll)
            var read = 0
            while let frames = next {
                read += 1
                if let record = try handle(frames, round: round) {
                    try accept(record)
                    accepted += 1
                    resultAccepted(RoundProgress(
                        key: record.key, done: accepted, total: keys.count, workersAlive: board.workers.count))
                }
                next = read < Self.messagesPerPass ? try socket.receive(timeout: .zero) : nil
            }
            for dead in board.expire(now: now) {
                log("worker \(label(dead)) stopped responding; its tasks go back to the queue")
                idle.remove(dead)
                introduced.remove(dead)
                styles[dead] = nil
            }
            try dispatch(style: style, task: task)
            try heartbeat()
        }
        for key in keys { expected[key] = nil }  // late copies of this round find no tile: the board drops them
        if let (key, reason) = board.abandoned.first(where: { round.contains($0.key) }) {
            throw PipelineError.task(reason: "\(key) failed \(settings.board.maximumAttempts) times (last: \(reason))")
        }
    }

    /// Acts on one message (the sender's routing id, then the frame); returns a result of `round`
    /// the board accepted.
    private func handle(_ frames: [Data], round: Set<TileResultKey>) throws -> TileResultRecord? {
        guard let route = frames.first else { return nil }
        let worker = WorkerID(route.map { String(format: "%02x", $0) }.joined())
        guard frames.count == 2 else {
            log("dropped a message of \(frames.count - 1) frames from \(label(worker)): the protocol sends one")
            return nil
        }
        let message: Message
        do {
            message = try Message.decode(Array(frames[1]), limit: settings.messageLimit)
        } catch {
            log("dropped a message from \(label(worker)): \(error)")
            if case .versionMismatch = error {
                try send(.error(ErrorMessage(key: nil, reason: "\(error)")), to: route)
            }
            return nil
        }
        if case .ready(let ready) = message {
            board.heartbeat(from: worker, now: now)
            names[worker] = Self.printable(ready.worker)
            note(kernel: Self.printable(ready.kernel), of: Self.printable(ready.worker))
            styles[worker] = nil  // a (re)started worker holds no style
            introduced.insert(worker)
            idle.insert(worker)
            return nil
        }
        guard introduced.contains(worker) else {
            // Not counted alive: a worker back from a partition heartbeats unheard until its
            // liveness runs out and it says READY; anything else from a stranger is worth a line.
            if message.kind != .heartbeat {
                log("dropped a \(message.kind) message from \(label(worker)): it has not said READY on this connection")
            }
            return nil
        }
        board.heartbeat(from: worker, now: now)
        switch message {
        case .ready, .heartbeat:
            break
        case .result(let record):
            idle.insert(worker)
            if board.isDone(record.key) {
                _ = board.complete(record.key, from: worker, now: now)  // a speculative twin's: counted, ignored
                return nil
            }
            guard board.holdsLease(of: record.key, worker: worker) else {
                _ = board.complete(record.key, from: worker, now: now)  // counted as unknown or unleased
                log("refused a result for \(record.key) from \(label(worker)): that tile is not leased to it")
                return nil
            }
            if let problem = problem(with: record, round: round) {
                log("worker \(label(worker)) sent a bad result for \(record.key): \(problem)")
                board.fail(record.key, from: worker, reason: problem, now: now)
                return nil
            }
            guard board.complete(record.key, from: worker, now: now) == .accepted else { return nil }
            tilesDone[names[worker] ?? worker.name, default: 0] += 1
            return record
        case .error(let report):
            idle.insert(worker)
            if let key = report.key { board.fail(key, from: worker, reason: report.reason, now: now) }
            log("worker \(label(worker)) reports: \(report.reason)")
        case .style, .task:
            log("dropped a \(message.kind) message from worker \(label(worker)): only the coordinator sends those")
        }
        return nil
    }

    /// Leases tasks to idle workers (in name order), sending the level's style first where needed.
    private func dispatch(style: StyleMessage, task: (TileResultKey) throws -> TaskMessage) throws {
        for worker in idle.sorted(by: { $0.name < $1.name }) {
            guard let lease = board.lease(to: worker, now: now) else { continue }
            idle.remove(worker)
            let route = Data(hexRoute: worker.name)
            if styles[worker].map({ $0.job != style.job || $0.styleSet != style.styleSet }) ?? true {
                try send(.style(style), to: route)
                styles[worker] = (style.job, style.styleSet)
            }
            let message = try task(lease.key)
            expected[lease.key] = message.result.offsetBy(dx: message.context.x, dy: message.context.y)
            try send(.task(message), to: route)
            // Making and encoding a task takes tens of milliseconds: handing out a round's first
            // tasks to hundreds of idle workers takes seconds, and workers that hear nothing for
            // three intervals say READY again (measured: 16 simulated workers under load lost a
            // third of their efficiency that way). So the heartbeats go out between tasks too.
            try heartbeat()
        }
    }

    /// The values a solved tile's pixels lie in: the solver's box (L-BFGS projects every step
    /// into it; a tile of zero iterations returns canvas pixels, clamped to it when enlarged).
    static let pixelRange = LBFGS.Settings().lowerBound...LBFGS.Settings().upperBound

    /// Why a leased result cannot be stored or blended, or nil: not a tile of `round`, not the
    /// tile's result rectangle, not RGB pixels of the rectangle's size, or values outside the
    /// solver's bounds (NaN included).
    private func problem(with record: TileResultRecord, round: Set<TileResultKey>) -> String? {
        guard round.contains(record.key) else { return "not a tile of the round being run" }
        guard let rect = expected[record.key] else { return "no task was handed out for that tile" }
        if record.rect != rect { return "rectangle \(record.rect), the tile's is \(rect)" }
        let pixels = record.pixels
        guard pixels.channels == 3, pixels.height == rect.height, pixels.width == rect.width else {
            return "\(pixels.shape) pixels for a \(rect.width)×\(rect.height) RGB rectangle"
        }
        let range = Self.pixelRange
        if !pixels.withUnsafeBufferPointer({ $0.allSatisfy(range.contains) }) {
            return "pixel values outside \(range.lowerBound)...\(range.upperBound) or not finite"
        }
        return nil
    }

    private func heartbeat() throws {
        guard now - lastHeartbeat >= settings.board.heartbeatInterval else { return }
        lastHeartbeat = now
        heartbeatSequence += 1
        for worker in board.workers where introduced.contains(worker) {
            try send(.heartbeat(HeartbeatMessage(sequence: heartbeatSequence)), to: Data(hexRoute: worker.name))
        }
    }

    /// Records a worker's kernel and warns once, in one line, when two workers' kernels differ:
    /// the same job gives the same bytes on machines of the same CPU kind and kernel only.
    private func note(kernel: String, of name: String) {
        kernels[name] = kernel
        guard !warnedOfKernels, Set(kernels.values).count > 1 else { return }
        warnedOfKernels = true
        let byKernel = Dictionary(grouping: kernels.keys.sorted(), by: { kernels[$0]! })
        let seen = byKernel.keys.sorted().map { "\($0) on \(byKernel[$0]![0])" }.joined(separator: ", ")
        log("workers run different BLAS kernels (\(seen)): a tile's last bits depend on which worker solved it")
    }

    /// A peer's name as logs and the summary show it: one line (control characters become `?`),
    /// at most 64 characters; a name is the peer's word, and the log's contract is one line per event.
    static func printable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.prefix(64).map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
    }

    /// A worker as the log names it: the name it gave in READY, then its routing id.
    private func label(_ worker: WorkerID) -> String {
        names[worker].map { "\($0) [\(worker)]" } ?? "\(worker)"
    }

    private func send(_ message: Message, to route: Data) throws {
        try socket.send([route, Data(message.encoded())])
    }
}

extension Data {
    /// The routing id a `WorkerID` names in hexadecimal.
    init(hexRoute: String) {
        var bytes: [UInt8] = []
        var index = hexRoute.startIndex
        while index < hexRoute.endIndex, let next = hexRoute.index(index, offsetBy: 2, limitedBy: hexRoute.endIndex) {
            bytes.append(UInt8(hexRoute[index..<next], radix: 16) ?? 0)
            index = next
        }
        self.init(bytes)
    }
}
