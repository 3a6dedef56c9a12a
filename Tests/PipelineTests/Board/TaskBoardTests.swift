import XCTest

@testable import Pipeline

final class TaskBoardTests: XCTestCase {
    private let a = WorkerID("a"), b = WorkerID("b"), c = WorkerID("c")

    private func keys(_ count: Int, round: Int = 0) -> [TileResultKey] {
        (0..<count).map { TileResultKey(job: "1", level: 0, round: round, tile: $0) }
    }

    func testLeasesFollowKeyOrderWhateverTheOrderAdded() {
        let board = TaskBoard()
        board.add(keys(4).reversed())
        board.add([TileResultKey(job: "0", level: 5, round: 0, tile: 9)])
        let order = (0..<5).compactMap { board.lease(to: WorkerID("w\($0)"), now: 0)?.key }
        XCTAssertEqual(order, [TileResultKey(job: "0", level: 5, round: 0, tile: 9)] + keys(4))
        XCTAssertEqual(board.pendingCount, 0)
    }

    func testEachResultIsAcceptedOnceAndDuplicatesAreCounted() {
        let board = TaskBoard()
        board.add(keys(2))
        let first = board.lease(to: a, now: 0)!.key
        XCTAssertEqual(board.complete(first, from: a, now: 1), .accepted)
        XCTAssertEqual(board.complete(first, from: a, now: 1), .duplicate)
        XCTAssertEqual(board.complete(first, from: b, now: 2), .duplicate)
        XCTAssertEqual(board.complete(TileResultKey(job: "9", level: 0, round: 0, tile: 0), from: b, now: 2), .unknown)
        XCTAssertEqual(board.counts.duplicates, 2)
        XCTAssertEqual(board.counts.unknown, 1)
        XCTAssertEqual(board.outstanding, 1)
        XCTAssertFalse(board.isFinished)
        // A result from a worker that holds no lease of its key (a stranger's, a copy from an
        // earlier life) is refused and changes nothing; the lease holder's is accepted.
        XCTAssertEqual(board.complete(keys(2)[1], from: c, now: 3), .unleased)
        XCTAssertEqual(board.counts.unleased, 1)
        XCTAssertFalse(board.isDone(keys(2)[1]))
        XCTAssertEqual(board.lease(to: b, now: 3)?.key, keys(2)[1])
        XCTAssertFalse(board.holdsLease(of: keys(2)[1], worker: c))
        XCTAssertTrue(board.holdsLease(of: keys(2)[1], worker: b))
        XCTAssertEqual(board.complete(keys(2)[1], from: c, now: 3), .unleased)
        XCTAssertEqual(board.complete(keys(2)[1], from: b, now: 3), .accepted)
        XCTAssertTrue(board.isFinished)
        XCTAssertNil(board.lease(to: a, now: 3), "nothing left, not even to speculate on")
    }

    func testADeadWorkersLeasesGoBackToTheQueue() {
        let board = TaskBoard()  // interval 1 s, liveness 3
        board.add(keys(3))
        let leased = board.lease(to: a, now: 0)!.key
        XCTAssertEqual(board.lease(to: b, now: 0)!.key, keys(3)[1])
        board.heartbeat(from: a, now: 2.5)
        XCTAssertEqual(board.expire(now: 3.2), [b], "b silent for more than 3 intervals")
        XCTAssertEqual(board.workers, [a])
        XCTAssertEqual(board.counts.retries, 1)
        XCTAssertEqual(board.counts.deadWorkers, 1)
        // b's task is pending again, before tile 2 (key order).
        XCTAssertEqual(board.lease(to: c, now: 3.3)!.key, keys(3)[1])
        XCTAssertEqual(board.expire(now: 5), [], "a was heard at 2.5, c at 3.3")
        XCTAssertEqual(board.expire(now: 5.6), [a])
        XCTAssertEqual(board.lease(to: c, now: 5.7)!.key, leased)
        // The dead worker lost its lease with its life: its late result is refused, and the
        // task's new holder's accepted.
        XCTAssertEqual(board.complete(leased, from: a, now: 6), .unleased)
        XCTAssertEqual(board.complete(leased, from: c, now: 6.1), .accepted)
        XCTAssertEqual(board.complete(leased, from: a, now: 6.2), .duplicate)
        XCTAssertTrue(board.workers.contains(a), "a message brings a worker back")
    }

    func testIdleWorkersGetSpeculativeCopiesOfTheOldestLeasesAtTheEnd() {
        let board = TaskBoard()  // at most 2 copies
        board.add(keys(3))
        XCTAssertEqual(board.lease(to: a, now: 0)!.key, keys(3)[0])
        XCTAssertEqual(board.lease(to: b, now: 1)!.key, keys(3)[1])
        XCTAssertEqual(board.lease(to: c, now: 2)!.key, keys(3)[2])
        XCTAssertEqual(board.complete(keys(3)[2], from: c, now: 3), .accepted)
        // Nothing pending: c gets a copy of the task leased longest ago (a's).
        let copy = board.lease(to: c, now: 3)!
        XCTAssertEqual(copy.key, keys(3)[0])
        XCTAssertTrue(copy.speculative)
        // A third worker gets b's task: a's already has two copies in flight.
        XCTAssertEqual(board.lease(to: WorkerID("d"), now: 3)?.key, keys(3)[1])
        XCTAssertNil(board.lease(to: WorkerID("e"), now: 3), "every task has its two copies")
        XCTAssertNil(board.lease(to: a, now: 3), "never a second copy to the same worker")
        XCTAssertEqual(board.counts.speculativeLeases, 2)
        XCTAssertEqual(board.complete(keys(3)[0], from: c, now: 4), .accepted)
        XCTAssertEqual(board.complete(keys(3)[0], from: a, now: 5), .duplicate)
        XCTAssertTrue(board.leases(of: keys(3)[0]).isEmpty)
        // One copy dying while the other runs does not requeue the task.
        board.heartbeat(from: b, now: 5)
        board.heartbeat(from: WorkerID("d"), now: 5)
        XCTAssertEqual(board.expire(now: 6.5), [WorkerID("e")], "e was last heard at 3")
        board.heartbeat(from: b, now: 7)
        XCTAssertEqual(board.expire(now: 8.5).map(\.name), ["a", "c", "d"])
        XCTAssertEqual(board.counts.retries, 0, "b still runs tile 1")
        XCTAssertEqual(board.leases(of: keys(3)[1]).map(\.worker), [b])
    }

    func testFailuresRequeueUntilTheTaskIsAbandoned() {
        var settings = TaskBoard.Settings()
        settings.maximumAttempts = 2
        settings.maximumCopies = 1
        let board = TaskBoard(settings: settings)
        board.add(keys(1))
        let key = keys(1)[0]
        XCTAssertEqual(board.lease(to: a, now: 0)?.key, key)
        XCTAssertNil(board.lease(to: b, now: 0), "no speculation with one copy")
        board.fail(key, from: a, reason: "NaN loss", now: 1)
        XCTAssertEqual(board.counts.retries, 1)
        XCTAssertEqual(board.lease(to: b, now: 1)?.key, key)
        board.fail(key, from: b, reason: "NaN loss", now: 2)
        XCTAssertEqual(board.abandoned[key], "b: NaN loss")
        XCTAssertTrue(board.isFinished)
        XCTAssertNil(board.lease(to: a, now: 3))
        XCTAssertEqual(board.complete(key, from: a, now: 3), .unknown)
        XCTAssertEqual(board.counts.failures, 2)
    }

    /// Offering a silent worker work is not hearing from it: the coordinator asks the board for a
    /// lease for every idle worker on every pass, and before, that kept a peer that took a task
    /// and fell silent alive forever, its task never queued again and the job stalled.
    func testOfferingWorkToASilentWorkerDoesNotKeepItAlive() {
        let board = TaskBoard()  // interval 1 s, liveness 3
        board.add(keys(1))
        XCTAssertEqual(board.lease(to: a, now: 0)?.key, keys(1)[0])
        for pass in 1...40 { XCTAssertNil(board.lease(to: a, now: Double(pass) * 0.1)) }
        XCTAssertEqual(board.expire(now: 3.5), [a])
        XCTAssertEqual(board.lease(to: b, now: 3.6)?.key, keys(1)[0], "a's task went back to the queue")
    }

    /// Error reports from workers that hold no lease of the task change nothing: before, a
    /// stranger's four reports for a pending tile had it abandoned and the job failed.
    func testFailuresFromWorkersWithoutALeaseChangeNothing() {
        let board = TaskBoard()  // 4 attempts
        board.add(keys(2))
        let key = keys(2)[0]
        for attempt in 0..<10 { board.fail(key, from: c, reason: "forged \(attempt)", now: Double(attempt)) }
        XCTAssertNil(board.abandoned[key])
        XCTAssertEqual(board.counts.retries, 0)
        XCTAssertEqual(board.lease(to: a, now: 10)?.key, key, "still pending, first in key order")
        board.fail(key, from: b, reason: "forged", now: 10)
        XCTAssertEqual(board.leases(of: key).map(\.worker), [a], "a's lease stands")
        XCTAssertEqual(board.complete(key, from: a, now: 11), .accepted)
    }
}
