import Foundation

/// A few threads that run the coordinator's heavy steps (making and encoding TASKs, decoding and
/// checking RESULTs, storing accepted results) so that its socket thread only routes frames and
/// keeps leases and heartbeats: a 512² gigapixel TASK takes ~0.1 s to deflate, and while the
/// socket thread did that, hundreds of workers waited for their next task and their heartbeats
/// went unread. Jobs start in the order submitted; `unfinished` lets the caller bound the queue.
///
/// The jobs capture what the coordinator's caller lends it for one round (its task maker, its
/// store), so the threads end with the round: `finish()` or `cancel()` before the loan ends.
final class OffloadQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var next = 0
    private var running = 0
    private var closing = false
    private var cancelled = false
    private var live = 0

    /// Starts `threads` threads named `name` (for debuggers and `top -H`).
    init(threads: Int, name: String) {
        precondition(threads >= 1, "an offload queue needs a thread")
        live = threads
        for index in 0..<threads {
            let thread = Thread { [self] in serve() }
            thread.name = "\(name) \(index + 1)"
            thread.start()
        }
    }

    /// Queues `job`; it runs on one of the threads, after every job submitted before it has started.
    func submit(_ job: @escaping () -> Void) {
        condition.withLock {
            precondition(!closing, "a job submitted to a finished offload queue")
            jobs.append(job)
            condition.broadcast()
        }
    }

    /// Jobs submitted and not yet finished (queued or running).
    var unfinished: Int { condition.withLock { jobs.count - next + running } }

    /// Runs every job submitted, then ends the threads; returns when they have ended.
    func finish() { close(cancelling: false) }

    /// Drops the jobs not started, waits for the running ones, then ends the threads.
    func cancel() { close(cancelling: true) }

    private func close(cancelling: Bool) {
        condition.withLock {
            closing = true
            if cancelling { cancelled = true }
            condition.broadcast()
            while live > 0 { condition.wait() }
            jobs = []  // the dropped jobs' closures too: what they capture is lent for the round only
            next = 0
        }
    }

    private func serve() {
        while let job = take() {
            job()
            condition.withLock {
                running -= 1
                condition.broadcast()
            }
        }
    }

    /// The next job to run, or nil once the queue is closed and (unless cancelled) empty.
    private func take() -> (() -> Void)? {
        condition.withLock {
            while true {
                if next < jobs.count && !cancelled {
                    let job = jobs[next]
                    next += 1
                    running += 1
                    // Drop run jobs now and then, so a long round does not keep every closure.
                    if next >= 1024 && next * 2 >= jobs.count {
                        jobs.removeFirst(next)
                        next = 0
                    }
                    return job
                }
                if closing {
                    live -= 1
                    condition.broadcast()
                    return nil
                }
                condition.wait()
            }
        }
    }
}

/// What the offload threads hand back to the socket thread, which takes them all at once on each
/// pass of its loop.
final class Mailbox<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Item] = []

    func post(_ item: Item) { lock.withLock { items.append(item) } }

    /// Every item posted since the last call, in the order posted.
    func takeAll() -> [Item] {
        lock.withLock {
            defer { items = [] }
            return items
        }
    }
}
