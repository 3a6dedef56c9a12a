import Foundation
import ImageIO
import Messaging
import Tensor
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
/// The socket thread only routes frames and keeps the board, leases and heartbeats: making and
/// encoding TASKs (ahead of their leases), decoding RESULTs and checking their pixels, and handing
/// accepted results to the caller's store all run on `OffloadQueue` threads (measured before:
/// 120–150 ms of this thread per gigapixel tile, so that 64 simulated workers reached 0.59 of
/// ideal). Messages are still acted on in the order they were read.
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
        /// Threads that make and encode TASKs and that decode RESULTs, each (one more stores results).
        public var offloadThreads = max(2, ProcessInfo.processInfo.activeProcessorCount)
        /// Frames up to this size are decoded on the socket thread (heartbeats, READY, errors, tiny
        /// results): a thread hop would cost more than they do.
        public var inlineDecodeLimit = 64 << 10
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
    /// The round's offload threads, task maker and result store, while `run` lends them.
    private var roundStages: RoundStages?
    private var roundTask: ((TileResultKey) throws -> TaskMessage)?
    private var roundAccept: ((TileResultRecord) throws -> Void)?
    /// Messages read and not yet acted on, in the order read (those before `inboundHead` are done).
    private var inbound: [Inbound] = []
    private var inboundHead = 0
    /// Each worker's messages in `inbound` not yet acted on.
    private var unhandled: [WorkerID: Int] = [:]
    /// Workers leased a task whose TASK is still being made, in lease order.
    private var awaiting: [(worker: WorkerID, key: TileResultKey)] = []
    /// TASKs being made, and those made and not yet sent.
    private var preparing: Set<TileResultKey> = []
    private var prepared: [TileResultKey: PreparedTask] = [:]
    /// The level's STYLE, encoded once for every worker that needs it.
    private var encodedStyle: (job: String, styleSet: UInt64, frame: Data)?
    /// Accepted results handed to the store thread and not yet stored; results stored this round.
    private var storing = 0
    private var stored = 0
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
    /// Called with a copy of the board's state at most every `snapshotInterval` seconds while a
    /// round runs, on the socket thread: a live view keeps the latest and must return at once.
    public var snapshotTaken: ((CoordinatorSnapshot) -> Void)?
    public var snapshotInterval = 0.25
    private var lastSnapshot = -Double.infinity
    /// Seconds from lease to accepted result, summed per worker name; bytes read and written.
    private var workerSeconds: [String: Double] = [:]
    private var bytesIn = 0
    private var bytesOut = 0
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
        board.add(keys)
        // The offload threads borrow `task` and `accept` for this round only: every queue is
        // closed (its threads joined, its jobs dropped) before they are given back.
        try withoutActuallyEscaping(task) { task in
            try withoutActuallyEscaping(accept) { accept in
                let stages = RoundStages(threads: settings.offloadThreads)
                do {
                    try loop(style: style, keys: keys, round: round, stages: stages, task: task, accept: accept)
                } catch {
                    // Every result accepted so far is stored before the error goes up (an
                    // interrupted run leaves a run directory that resumes with them).
                    stages.preparation.cancel()
                    stages.decoding.cancel()
                    stages.storage.finish()
                    forgetRound(keys)
                    throw error
                }
                stages.preparation.cancel()
                // Results decoding as the round ended are late copies: handled as the loop would
                // have, so that their senders are idle again.
                stages.decoding.finish()
                _ = take(stages.mailbox.takeAll())  // a failure to make a task ahead no longer matters
                _ = try handleInbound(round: round)
                stages.storage.finish()
            }
        }
        forgetRound(keys)
        if let (key, reason) = board.abandoned.first(where: { round.contains($0.key) }) {
            throw PipelineError.task(reason: "\(key) failed \(settings.board.maximumAttempts) times (last: \(reason))")
        }
    }

    /// The threads of one round and what they hand back to the socket thread.
    private final class RoundStages {
        /// Makes and encodes TASKs (the making one at a time: the caller's inputs need not be thread-safe).
        let preparation: OffloadQueue
        /// Decodes frames and checks a RESULT's pixels.
        let decoding: OffloadQueue
        /// Hands accepted results to the caller's `accept`, one at a time, in the order accepted.
        let storage: OffloadQueue
        let mailbox = Mailbox<Event>()
        let making = NSLock()

        init(threads: Int) {
            preparation = OffloadQueue(threads: threads, name: "coordinator tasks")
            decoding = OffloadQueue(threads: threads, name: "coordinator results")
            storage = OffloadQueue(threads: 1, name: "coordinator store")
        }
    }

    private enum Event {
        case decoded(Inbound, Result<Message, ProtocolError>, pixelsInRange: Bool)
        case prepared(TileResultKey, PreparedTask)
        case styleEncoded(job: String, styleSet: UInt64, Data)
        case stored(TileResultKey)
        case failed(any Error)
    }

    /// A TASK as it goes on the wire, with the rectangle its result must fill.
    private struct PreparedTask {
        var frame: Data
        var result: PixelRect
    }

    /// A message read from the socket and not yet acted on. Messages are acted on in the order they
    /// were read, whichever finishes decoding first, and a worker with messages still decoding is
    /// leased nothing: so each is judged as the loop of one thread judged it (a result sent
    /// before its sender was leased the tile is refused, not taken for the lease's).
    private final class Inbound {
        let worker: WorkerID
        let route: Data
        var message: Result<Message, ProtocolError>?
        var pixelsInRange = true

        init(worker: WorkerID, route: Data) {
            self.worker = worker
            self.route = route
        }
    }

    /// Tasks made and encoded ahead of their lease, so that a worker that returns a result gets
    /// its next task at once.
    static let lookahead = 16
    /// Accepted results waiting for `accept` past which no task is leased: the store sets the pace
    /// (a result is megabytes; an unbounded backlog would hold a round's in memory).
    static let storeBacklog = 32

    private func loop(
        style: StyleMessage, keys: [TileResultKey], round: Set<TileResultKey>, stages: RoundStages,
        task: @escaping (TileResultKey) throws -> TaskMessage, accept: @escaping (TileResultRecord) throws -> Void
    ) throws {
        roundStages = stages
        roundTask = task
        roundAccept = accept
        defer { (roundStages, roundTask, roundAccept) = (nil, nil, nil) }
        if encodedStyle?.job != style.job || encodedStyle?.styleSet != style.styleSet {
            encodedStyle = nil
            stages.preparation.submit {
                let frame = Data(Message.style(style).encoded())
                stages.mailbox.post(.styleEncoded(job: style.job, styleSet: style.styleSet, frame))
            }
        }
        var unfinished = keys
        var outstanding = -1
        storing = 0
        stored = 0
        let idlePoll = Duration.milliseconds(max(1, Int(settings.board.heartbeatInterval * 250)))
        while true {
            try checkInterruption()
            if let failure = take(stages.mailbox.takeAll(), total: keys.count) { throw failure }
            try storeAccepted(handleInbound(round: round))
            if board.outstanding != outstanding {
                outstanding = board.outstanding
                unfinished.removeAll { board.isDone($0) || board.abandoned[$0] != nil }
            }
            if unfinished.isEmpty && storing == 0 { break }
            // Short polls while the offload threads have work whose outcome this thread sends on.
            let busy = storing > 0 || !preparing.isEmpty || !awaiting.isEmpty || inboundHead < inbound.count
            var next = try socket.receive(timeout: busy ? .milliseconds(1) : idlePoll)
            var read = 0
            while let frames = next {
                read += 1
                receive(frames)
                next = read < Self.messagesPerPass ? try socket.receive(timeout: .zero) : nil
            }
            try storeAccepted(handleInbound(round: round))
            for dead in board.expire(now: now) {
                log("worker \(label(dead)) stopped responding; its tasks go back to the queue")
                idle.remove(dead)
                introduced.remove(dead)
                styles[dead] = nil
                awaiting.removeAll { $0.worker == dead }
            }
            dispatch()
            try sendPrepared()
            try heartbeat()
            publishSnapshot()
        }
        publishSnapshot(force: true)
    }

    /// Hands `snapshotTaken` a copy of the board's state, at most every `snapshotInterval` seconds.
    private func publishSnapshot(force: Bool = false) {
        guard let snapshotTaken, force || now - lastSnapshot >= snapshotInterval else { return }
        lastSnapshot = now
        var snapshot = CoordinatorSnapshot()
        snapshot.leases = board.currentLeases.map {
            CoordinatorSnapshot.Lease(
                key: $0.key, worker: names[$0.worker] ?? $0.worker.name, speculative: $0.speculative)
        }
        snapshot.pending = board.pendingCount
        snapshot.workersAlive = board.workers.filter(introduced.contains).map { names[$0] ?? $0.name }
        snapshot.counts = board.counts
        snapshot.lostLeases = board.lostLeases
        snapshot.tilesDone = tilesDone
        snapshot.workerSeconds = workerSeconds
        snapshot.bytesIn = bytesIn
        snapshot.bytesOut = bytesOut
        snapshotTaken(snapshot)
    }

    /// Acts on what the offload threads handed back. - Returns: the first failure among them (of
    /// the caller's task maker or store), which ends the round.
    private func take(_ events: [Event], total: Int = 0) -> (any Error)? {
        var failure: (any Error)?
        for event in events {
            switch event {
            case .decoded(let inbound, let message, let pixelsInRange):
                inbound.message = message
                inbound.pixelsInRange = pixelsInRange
            case .prepared(let key, let task):
                preparing.remove(key)
                prepared[key] = task
            case .styleEncoded(let job, let styleSet, let frame):
                encodedStyle = (job, styleSet, frame)
            case .stored(let key):
                storing -= 1
                stored += 1
                resultAccepted(RoundProgress(key: key, done: stored, total: total, workersAlive: board.workers.count))
            case .failed(let error):
                failure = failure ?? error
            }
        }
        return failure
    }

    /// Reads one message off the socket: the sender counts as heard from at once (a worker's
    /// heartbeats must not wait behind its results), and the frame is decoded here if small, on an
    /// offload thread if not.
    private func receive(_ frames: [Data]) {
        guard let route = frames.first else { return }
        let worker = WorkerID(route.map { String(format: "%02x", $0) }.joined())
        bytesIn += frames.reduce(0) { $0 + $1.count }
        guard frames.count == 2 else {
            log("dropped a message of \(frames.count - 1) frames from \(label(worker)): the protocol sends one")
            return
        }
        if introduced.contains(worker) { board.heartbeat(from: worker, now: now) }
        let inbound = Inbound(worker: worker, route: route)
        self.inbound.append(inbound)
        unhandled[worker, default: 0] += 1
        let bytes = Array(frames[1])
        let limit = settings.messageLimit
        guard bytes.count > settings.inlineDecodeLimit, let stages = roundStages else {
            (inbound.message, inbound.pixelsInRange) = Self.decode(bytes, limit: limit)
            return
        }
        stages.decoding.submit {
            let (message, pixelsInRange) = Self.decode(bytes, limit: limit)
            stages.mailbox.post(.decoded(inbound, message, pixelsInRange: pixelsInRange))
        }
    }

    /// The message in a frame and, for a RESULT, whether its pixels lie in `pixelRange` (true for
    /// anything else).
    private static func decode(_ bytes: [UInt8], limit: Int) -> (Result<Message, ProtocolError>, Bool) {
        do throws(ProtocolError) {
            let message = try Message.decode(bytes, limit: limit)
            if case .result(let record) = message { return (.success(message), pixelsInRange(record.pixels)) }
            return (.success(message), true)
        } catch {
            return (.failure(error), true)
        }
    }

    /// Acts on the messages read so far, in the order read, up to the first still decoding.
    /// - Returns: the results of `round` the board accepted.
    private func handleInbound(round: Set<TileResultKey>) throws -> [TileResultRecord] {
        var records: [TileResultRecord] = []
        while inboundHead < inbound.count, let message = inbound[inboundHead].message {
            let item = inbound[inboundHead]
            inboundHead += 1
            unhandled[item.worker]! -= 1
            if unhandled[item.worker] == 0 { unhandled[item.worker] = nil }
            if let record = try handle(message, from: item, round: round) { records.append(record) }
        }
        if inboundHead == inbound.count {
            inbound.removeAll(keepingCapacity: true)
            inboundHead = 0
        }
        return records
    }

    /// Queues accepted results for the caller's `accept`, one at a time on the store thread.
    private func storeAccepted(_ records: [TileResultRecord]) throws {
        guard let stages = roundStages, let accept = roundAccept else { return }
        for record in records {
            storing += 1
            stages.storage.submit {
                do {
                    try accept(record)
                    stages.mailbox.post(.stored(record.key))
                } catch {
                    stages.mailbox.post(.failed(error))
                }
            }
        }
    }

    /// Acts on one decoded message; returns a result of `round` the board accepted.
    private func handle(
        _ decoded: Result<Message, ProtocolError>, from inbound: Inbound, round: Set<TileResultKey>
    ) throws -> TileResultRecord? {
        let worker = inbound.worker
        let message: Message
        switch decoded {
        case .success(let decoded):
            message = decoded
        case .failure(let error):
            log("dropped a message from \(label(worker)): \(error)")
            if case .versionMismatch = error {
                try send(.error(ErrorMessage(key: nil, reason: "\(error)")), to: inbound.route)
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
            if let problem = problem(with: record, round: round, pixelsInRange: inbound.pixelsInRange) {
                log("worker \(label(worker)) sent a bad result for \(record.key): \(problem)")
                board.fail(record.key, from: worker, reason: problem, now: now)
                return nil
            }
            let leased = board.leases(of: record.key).first { $0.worker == worker }?.since
            guard board.complete(record.key, from: worker, now: now) == .accepted else { return nil }
            tilesDone[names[worker] ?? worker.name, default: 0] += 1
            if let leased { workerSeconds[names[worker] ?? worker.name, default: 0] += now - leased }
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

    /// Leases tasks to idle workers (in name order) and has their TASKs, and the next few pending
    /// ones, made and encoded on the offload threads; `sendPrepared` sends each when it is ready.
    /// Nothing is leased while the store is `storeBacklog` results behind, nor to a worker whose
    /// messages are still decoding.
    private func dispatch() {
        guard storing < Self.storeBacklog else { return }
        for worker in idle.sorted(by: { $0.name < $1.name }) where unhandled[worker] == nil {
            guard let lease = board.lease(to: worker, now: now) else { continue }
            idle.remove(worker)
            awaiting.append((worker, lease.key))
            prepare(lease.key)
        }
        for key in board.upcoming(Self.lookahead) { prepare(key) }
    }

    /// Has `key`'s TASK made (one at a time) and encoded (in parallel) on the offload threads.
    private func prepare(_ key: TileResultKey) {
        guard prepared[key] == nil, let stages = roundStages, let makeTask = roundTask,
              preparing.insert(key).inserted
        else { return }
        stages.preparation.submit {
            do {
                let message = try stages.making.withLock { try makeTask(key) }
                let frame = Data(Message.task(message).encoded())
                let result = message.result.offsetBy(dx: message.context.x, dy: message.context.y)
                stages.mailbox.post(.prepared(key, PreparedTask(frame: frame, result: result)))
            } catch {
                stages.mailbox.post(.failed(error))
            }
        }
    }

    /// Sends each leased TASK that is ready (the level's style first, to a worker without it); a
    /// lease that ended meanwhile (its tile done by a twin) sends nothing and frees the worker.
    private func sendPrepared() throws {
        var sent: Set<TileResultKey> = []
        var waiting: [(worker: WorkerID, key: TileResultKey)] = []
        for (worker, key) in awaiting {
            guard let task = prepared[key], let style = encodedStyle else {
                waiting.append((worker, key))
                continue
            }
            sent.insert(key)
            guard board.holdsLease(of: key, worker: worker) else {
                idle.insert(worker)
                continue
            }
            let route = Data(hexRoute: worker.name)
            if styles[worker].map({ $0.job != style.job || $0.styleSet != style.styleSet }) ?? true {
                try socket.send([route, style.frame])
                bytesOut += route.count + style.frame.count
                styles[worker] = (style.job, style.styleSet)
            }
            expected[key] = task.result
            try socket.send([route, task.frame])
            bytesOut += route.count + task.frame.count
        }
        awaiting = waiting
        for key in sent { prepared[key] = nil }
    }

    /// Ends the round's bookkeeping: workers still waiting for a TASK that was never made are idle
    /// again, and messages the round never acted on (after an error) are forgotten.
    private func forgetRound(_ keys: [TileResultKey]) {
        for key in keys { expected[key] = nil }  // late copies of this round find no tile: the board drops them
        for (worker, _) in awaiting { idle.insert(worker) }
        awaiting = []
        prepared = [:]
        preparing = []
        if inbound.contains(where: { $0.message == nil }) {
            inbound = []
            inboundHead = 0
            unhandled = [:]
        }
    }

    /// The values a solved tile's pixels lie in: the solver's box (L-BFGS projects every step
    /// into it; a tile of zero iterations returns canvas pixels, clamped to it when enlarged).
    static let pixelRange = LBFGS.Settings().lowerBound...LBFGS.Settings().upperBound

    /// Why a leased result cannot be stored or blended, or nil: not a tile of `round`, not the
    /// tile's result rectangle, not RGB pixels of the rectangle's size, or values outside the
    /// solver's bounds (NaN included).
    private func problem(with record: TileResultRecord, round: Set<TileResultKey>, pixelsInRange: Bool) -> String? {
        guard round.contains(record.key) else { return "not a tile of the round being run" }
        guard let rect = expected[record.key] else { return "no task was handed out for that tile" }
        if record.rect != rect { return "rectangle \(record.rect), the tile's is \(rect)" }
        let pixels = record.pixels
        guard pixels.channels == 3, pixels.height == rect.height, pixels.width == rect.width else {
            return "\(pixels.shape) pixels for a \(rect.width)×\(rect.height) RGB rectangle"
        }
        if !pixelsInRange {
            return "pixel values outside \(Self.pixelRange.lowerBound)...\(Self.pixelRange.upperBound) or not finite"
        }
        return nil
    }

    /// Whether every value of `pixels` lies in `pixelRange` (NaN does not): checked as a RESULT is
    /// decoded, on an offload thread, since it reads every sample.
    static func pixelsInRange(_ pixels: Tensor) -> Bool {
        pixels.withUnsafeBufferPointer { $0.allSatisfy(pixelRange.contains) }
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
        let frame = Data(message.encoded())
        try socket.send([route, frame])
        bytesOut += route.count + frame.count
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
