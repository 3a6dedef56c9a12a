import Transfer
import XCTest

@testable import Pipeline

final class LevelPlanTests: XCTestCase {
    func testLevelsFollowTheScheduleAndIterationsSplitAcrossRounds() {
        var transfer = TransferSettings()
        transfer.coarseSize = 64
        transfer.iterations = [30, 7, 1]
        var tile = TileSettings()
        tile.size = 128
        tile.overlap = 16
        tile.rounds = 3
        let plan = LevelPlan(width: 400, height: 300, transfer: transfer, tile: tile, alignment: 8)
        let schedule = MultiScaleSchedule(width: 400, height: 300, settings: transfer)
        XCTAssertEqual(plan.levels.map(\.width), schedule.levels.map(\.width))
        XCTAssertEqual(plan.levels.map(\.height), schedule.levels.map(\.height))
        XCTAssertEqual(plan.levels.map(\.iterations), [30, 7, 1, 1])
        // 64 and 128 fit one tile: one round with every iteration.
        XCTAssertEqual(plan.levels[0].rounds.map(\.iterations), [30])
        XCTAssertEqual(plan.levels[1].rounds.map(\.iterations), [7])
        XCTAssertTrue(plan.levels[0].isSingleTile && plan.levels[1].isSingleTile)
        // 256×192 is tiled: 1 iteration gives 1 round (no empty rounds).
        XCTAssertEqual(plan.levels[2].rounds.map(\.iterations), [1])
        XCTAssertFalse(plan.levels[2].isSingleTile)
        XCTAssertEqual(LevelPlan.share(of: 7, round: 0, rounds: 3) + LevelPlan.share(of: 7, round: 1, rounds: 3)
                       + LevelPlan.share(of: 7, round: 2, rounds: 3), 7)
        XCTAssertEqual((0..<3).map { LevelPlan.share(of: 7, round: $0, rounds: 3) }, [3, 2, 2])

        transfer.iterations = [30, 7, 10]
        let finer = LevelPlan(width: 400, height: 300, transfer: transfer, tile: tile, alignment: 8)
        let last = finer.levels[3]
        XCTAssertEqual(last.rounds.map(\.iterations), [4, 3, 3])
        XCTAssertEqual(last.rounds.map(\.index), [0, 1, 2])
        XCTAssertEqual(last.rounds.map(\.grid.round), [0, 1, 2])
        XCTAssertEqual(Set(last.rounds.map(\.grid.offset)).count, 3, "each round shifts the grid")
    }
}
