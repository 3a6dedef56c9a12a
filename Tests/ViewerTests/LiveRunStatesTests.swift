import Pipeline
import XCTest

@testable import Viewer

/// How `LiveRun` names a tile's state from the coordinator's snapshot and the results accepted:
/// done wins over a stale lease, a lost lease makes a queued tile `retried`, speculative copies
/// list both workers, other jobs' and rounds' keys are ignored.
final class LiveRunStatesTests: XCTestCase {
    func testStatesFollowTheSnapshot() throws {
        let live = LiveRun()
        live.begin(job: "j", plan: try LiveJob.levelPlan())
        let level = LiveJob.finestLevel
        let key = { (tile: Int) in TileResultKey(job: "j", level: level, round: 0, tile: tile) }
        live.roundStarted(level: level, round: 0, keys: (1..<6).map(key))  // tile 0 stored earlier
        var snapshot = CoordinatorSnapshot()
        snapshot.leases = [
            .init(key: key(1), worker: "a", speculative: false), .init(key: key(1), worker: "b", speculative: true),
            .init(key: key(2), worker: "a", speculative: false),
            .init(key: TileResultKey(job: "other", level: level, round: 0, tile: 4), worker: "c", speculative: false),
        ]
        snapshot.lostLeases = [key(3): 2, key(2): 1, TileResultKey(job: "j", level: level, round: 1, tile: 5): 1]
        snapshot.workersAlive = ["a", "b"]
        snapshot.tilesDone = ["a": 3]
        live.update(snapshot)
        let status = live.status()
        XCTAssertEqual(status.tiles.map(\.state), ["done", "leased", "leased", "retried", "queued", "queued"])
        XCTAssertEqual(status.tiles[1].workers, ["a", "b"])
        XCTAssertEqual(status.tiles[2].lostLeases, 1)
        XCTAssertEqual(status.tiles[3].lostLeases, 2)
        XCTAssertEqual(status.counts, LiveStatus.Counts(total: 6, done: 1, leased: 2, retried: 1, queued: 2))
        XCTAssertEqual(status.workers.map(\.name), ["a", "b"])
        XCTAssertEqual(status.workersAlive, 2)
        XCTAssertNil(status.etaSeconds, "no rate before two tiles are accepted")
    }
}
