/// A worker as the coordinator knows it (its ZeroMQ identity, printable).
public struct WorkerID: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }
}

/// The coordinator's queue of tile tasks (DESIGN.md §3), as pure logic with the time passed in,
/// so that expiry, requeueing and speculation are tested with a fake clock:
/// - pending tasks are leased in key order (job, level, round, tile), the same order every run;
/// - a worker is alive while it has been heard from (any message) within `liveness` heartbeat
///   intervals; a dead worker's leases go back to the queue;
/// - a result is accepted once per key, and only from a worker holding a lease of that key: late
///   and duplicate copies change nothing, and a result nobody was leased (a dead worker's, whose
///   task went back to the queue, or a stranger's) is refused; each is counted;
/// - when nothing is pending (the end of a round), idle workers get speculative copies of the
///   tasks leased longest ago, so one slow worker does not hold the round's barrier;
/// - a task that fails or loses its worker `maximumAttempts` times is abandoned, and the job fails.
public final class TaskBoard {
    public struct Settings: Sendable, Equatable {
        /// Seconds between heartbeats (Paranoid Pirate's ~1 s).
        public var heartbeatInterval = 1.0
        /// Heartbeat intervals without news after which a worker is dead.
        public var liveness = 3
        /// Most copies of one task in flight at once (1 turns speculation off).
        public var maximumCopies = 2
        /// Leases lost (worker died, or reported an error) before a task is abandoned.
        public var maximumAttempts = 4
        public init() {}
    }

    /// What became of a result handed to `complete`.
    public enum Acceptance: Equatable, Sendable {
        /// The first result for its key: blend it.
        case accepted
        /// The key was already done: a late or speculative copy, ignored.
        case duplicate
        /// Not a task of this board (another job, an old round): ignored.
        case unknown
        /// A task of this board that the sender does not hold a lease of: refused.
        case unleased
    }

    /// One lease of a task to a worker.
    public struct Lease: Equatable, Sendable {
        public var key: TileResultKey
        public var worker: WorkerID
        public var since: Double
        /// A copy of a task already leased to another worker.
        public var speculative: Bool
    }

    /// Counts for the run's summary.
    public struct Counts: Equatable, Sendable {
        public var leases = 0
        public var speculativeLeases = 0
        /// Tasks put back in the queue after their worker died or failed.
        public var retries = 0
        /// Results ignored because their key was already done.
        public var duplicates = 0
        /// Results for keys the board does not hold.
        public var unknown = 0
        /// Results from a worker without a lease of their key.
        public var unleased = 0
        /// Error reports from workers.
        public var failures = 0
        /// Workers declared dead.
        public var deadWorkers = 0
    }

    public let settings: Settings
    public private(set) var counts = Counts()
    /// Tasks given up on, with the last reason.
    public private(set) var abandoned: [TileResultKey: String] = [:]

    private var known: Set<TileResultKey> = []
    private var pending: [TileResultKey] = []  // sorted
    private var leases: [TileResultKey: [Lease]] = [:]
    private var done: Set<TileResultKey> = []
    private var lost: [TileResultKey: Int] = [:]
    private var lastHeard: [WorkerID: Double] = [:]

    public init(settings: Settings = Settings()) {
        precondition(settings.heartbeatInterval > 0 && settings.liveness >= 1 && settings.maximumCopies >= 1
                     && settings.maximumAttempts >= 1, "bad task board settings")
        self.settings = settings
    }

    /// Puts tasks on the board (a round's tiles, when the previous round is finished).
    public func add(_ keys: [TileResultKey]) {
        for key in keys where known.insert(key).inserted { insertPending(key) }
    }

    /// Tasks neither done nor abandoned.
    public var outstanding: Int { known.count - done.count - abandoned.count }
    /// Whether every task added is done (or abandoned: check `abandoned`).
    public var isFinished: Bool { outstanding == 0 }
    public var pendingCount: Int { pending.count }
    public func isDone(_ key: TileResultKey) -> Bool { done.contains(key) }
    /// The workers alive as of the last `expire` (heard from, not declared dead).
    public var workers: [WorkerID] { lastHeard.keys.sorted { $0.name < $1.name } }
    /// The next `count` pending tasks, in the order they will be leased (to make them ahead).
    public func upcoming(_ count: Int) -> ArraySlice<TileResultKey> { pending.prefix(count) }
    /// The current leases of `key`.
    public func leases(of key: TileResultKey) -> [Lease] { leases[key] ?? [] }
    /// Every current lease, in key order (for a live view: a round's are as many as its workers).
    public var currentLeases: [Lease] { leases.keys.sorted().flatMap { leases[$0]! } }
    /// How many leases each task has lost so far (a task present here was retried or abandoned).
    public var lostLeases: [TileResultKey: Int] { lost }

    /// Notes that `worker` is alive (any message from it counts).
    public func heartbeat(from worker: WorkerID, now: Double) {
        lastHeard[worker] = max(now, lastHeard[worker] ?? now)
    }

    /// The next task for `worker`: the first pending one in key order or, when none is pending, a
    /// speculative copy of the task leased longest ago that `worker` does not hold and that has
    /// fewer than `maximumCopies` copies in flight; nil when there is nothing to do.
    public func lease(to worker: WorkerID, now: Double) -> Lease? {
        // A lease is not news from the worker: a silent peer offered work on every pass would
        // otherwise never be declared dead, and the task it holds never queued again. A worker
        // first met here is counted from now, so that its lease can expire.
        if lastHeard[worker] == nil { lastHeard[worker] = now }
        if !pending.isEmpty {
            let key = pending.removeFirst()
            return grant(key, to: worker, now: now, speculative: false)
        }
        var oldest: (key: TileResultKey, since: Double)?
        for (key, copies) in leases where copies.count < settings.maximumCopies && !copies.contains(where: { $0.worker == worker }) {
            let since = copies.map(\.since).min() ?? now
            if let current = oldest, (current.since, current.key) <= (since, key) { continue }
            oldest = (key, since)
        }
        guard let oldest else { return nil }
        return grant(oldest.key, to: worker, now: now, speculative: true)
    }

    private func grant(_ key: TileResultKey, to worker: WorkerID, now: Double, speculative: Bool) -> Lease {
        let lease = Lease(key: key, worker: worker, since: now, speculative: speculative)
        leases[key, default: []].append(lease)
        counts.leases += 1
        if speculative { counts.speculativeLeases += 1 }
        return lease
    }

    /// Whether `worker` holds a lease of `key` (a task handed to it and not taken back).
    public func holdsLease(of key: TileResultKey, worker: WorkerID) -> Bool {
        leases[key]?.contains { $0.worker == worker } ?? false
    }

    /// Takes a result. Only the first for a key is accepted, and only from a worker that holds a
    /// lease of it: a worker declared dead lost its leases, so its late result is refused (its
    /// task was queued again and is solved from the same task by another); the key's other leases end.
    public func complete(_ key: TileResultKey, from worker: WorkerID, now: Double) -> Acceptance {
        heartbeat(from: worker, now: now)
        guard known.contains(key), abandoned[key] == nil else {
            counts.unknown += 1
            return .unknown
        }
        guard !done.contains(key) else {
            counts.duplicates += 1
            return .duplicate
        }
        guard holdsLease(of: key, worker: worker) else {
            counts.unleased += 1
            return .unleased
        }
        done.insert(key)
        leases[key] = nil
        removePending(key)
        return .accepted
    }

    /// A worker could not run a task: its lease ends, and the task is queued again unless another
    /// copy is still running. A report from a worker without a lease of `key` changes nothing
    /// (else a stranger's reports would have a task abandoned and the job fail).
    public func fail(_ key: TileResultKey, from worker: WorkerID, reason: String, now: Double) {
        heartbeat(from: worker, now: now)
        counts.failures += 1
        guard known.contains(key), !done.contains(key), abandoned[key] == nil,
              holdsLease(of: key, worker: worker)
        else { return }
        leases[key]?.removeAll { $0.worker == worker }
        loseLease(of: key, reason: "\(worker): \(reason)")
    }

    /// Declares dead the workers not heard from within `liveness` heartbeat intervals, and queues
    /// their tasks again. - Returns: the dead workers, in name order.
    @discardableResult
    public func expire(now: Double) -> [WorkerID] {
        let deadline = now - settings.heartbeatInterval * Double(settings.liveness)
        let dead = lastHeard.filter { $0.value < deadline }.map(\.key).sorted { $0.name < $1.name }
        for worker in dead {
            lastHeard[worker] = nil
            counts.deadWorkers += 1
            for key in leases.keys.sorted() where leases[key]!.contains(where: { $0.worker == worker }) {
                leases[key]!.removeAll { $0.worker == worker }
                loseLease(of: key, reason: "worker \(worker) stopped responding")
            }
        }
        return dead
    }

    /// After a lease ended without a result: requeue when no copy is left, or abandon.
    private func loseLease(of key: TileResultKey, reason: String) {
        guard leases[key]?.isEmpty ?? true else { return }
        leases[key] = nil
        lost[key, default: 0] += 1
        if lost[key]! >= settings.maximumAttempts {
            abandoned[key] = reason
        } else {
            counts.retries += 1
            insertPending(key)
        }
    }

    private func insertPending(_ key: TileResultKey) {
        var low = 0, high = pending.count
        while low < high {
            let middle = (low + high) / 2
            if pending[middle] < key { low = middle + 1 } else { high = middle }
        }
        if low < pending.count && pending[low] == key { return }
        pending.insert(key, at: low)
    }

    private func removePending(_ key: TileResultKey) {
        if let index = pending.firstIndex(of: key) { pending.remove(at: index) }
    }
}
