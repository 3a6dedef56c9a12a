import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

final class TiledStylizerTests: XCTestCase {
    /// A job whose levels all fit one tile is `MultiScaleStylizer`'s job, byte for byte, with the
    /// exact search. (With the approximate search the two differ by design: a tile's search is
    /// seeded by its task key and starts from a random field, while the single-image stylizer
    /// carries its field from level to level; `stylize` runs `MultiScaleStylizer` itself when
    /// every level fits one tile.)
    func testASingleTileRunIsByteIdenticalToTheMultiScaleStylizer() throws {
        var settings = PipelineFixtures.settings(tileSize: 128, coarseSize: 48, iterations: [4, 3])
        settings.transfer.search = .exact
        let inputs = PipelineFixtures.inputs(width: 96, height: 64, seed: 1)
        var rounds: [TiledStylizer.RoundReport] = []
        let tiled = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: settings)
            .run(inputs, width: 96, height: 64, roundFinished: { rounds.append($0) })
        let whole = try MultiScaleStylizer(vgg: PipelineFixtures.vgg(), settings: settings.transfer)
            .run(inputs, width: 96, height: 64)
        XCTAssertEqual(rounds.map(\.tiles), [1, 1], "one round of one tile per level")
        XCTAssertEqual(rounds.map(\.iterations), [4, 3])
        XCTAssertEqual(tiled.shape, whole.shape)
        XCTAssertEqual(tiled.array.map(\.bitPattern), whole.array.map(\.bitPattern))
    }

    /// A tiled job completes, optimises every level and gives the same bytes every time.
    func testATiledRunCompletesAndIsDeterministic() throws {
        let settings = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [3, 2])
        let inputs = PipelineFixtures.inputs(width: 192, height: 128, seed: 2)
        var rounds: [TiledStylizer.RoundReport] = []
        let first = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: settings)
            .run(inputs, width: 192, height: 128, roundFinished: { rounds.append($0) })
        // 96×64: cut along x only (64 ≤ 64 + 16), at 64 then at 32; 192×128: cut both ways; two rounds each.
        XCTAssertEqual(rounds.map(\.level), [0, 0, 1, 1])
        XCTAssertEqual(rounds.map(\.iterations), [2, 1, 1, 1])
        XCTAssertEqual(rounds.map(\.tiles), [2, 2, 6, 12])
        for report in rounds {
            XCTAssertTrue(report.tileLosses.allSatisfy { $0.last.isFinite && $0.last <= $0.first }, "\(report.tileLosses)")
        }
        XCTAssertEqual(first.shape, Shape(channels: 3, height: 128, width: 192))
        XCTAssertTrue(first.array.allSatisfy { $0 >= 0 && $0 <= 1 })
        let start = MultiScaleStylizer.resized(inputs.content, width: 192, height: 128)
        XCTAssertGreaterThan(zip(first.array, start.array).map { abs($0 - $1) }.max()!, 0.01, "the run changed the image")
        let second = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: settings).run(inputs, width: 192, height: 128)
        XCTAssertEqual(first.array.map(\.bitPattern), second.array.map(\.bitPattern))
    }

    func testBadTileSettingsAreRefusedBeforeAnyWork() {
        var settings = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [1])
        settings.tile.halo = 16
        XCTAssertThrowsError(
            try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: settings)
                .run(PipelineFixtures.inputs(width: 96, height: 64, seed: 1), width: 96, height: 64)
        ) { error in
            XCTAssertEqual((error as? TransferError).map { "\($0)" }?.hasPrefix("tile.halo: must be a multiple of 8 between 40"), true, "\(error)")
        }
    }

    /// A level of zero iterations hands out no task: its canvas is the level below enlarged, which
    /// is exactly what its tiles (their starting pixels) blended into that canvas would give.
    func testAZeroIterationLevelRunsNoTaskAndKeepsTheEnlargedCanvas() throws {
        let settings = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 0])
        let inputs = PipelineFixtures.inputs(width: 192, height: 128, seed: 3)
        let executor = RecordingExecutor(inner: SequentialTileExecutor(solver: TileSolver(vgg: PipelineFixtures.vgg())))
        var coarse: Tensor?
        var rounds: [TiledStylizer.RoundReport] = []
        let output = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: settings).run(
            inputs, width: 192, height: 128, executor: executor, roundFinished: { rounds.append($0) },
            levelFinished: { index, canvas in if index == 0 { coarse = (canvas as! MemoryCanvas).tensor.clone() } })
        XCTAssertEqual(Set(executor.keys.map(\.level)), [0], "tasks of the zero-iteration level were handed out")
        XCTAssertEqual(rounds.map(\.level), [0, 0, 1])
        XCTAssertEqual(rounds.last?.iterations, 0)
        let enlarged = MemoryCanvas(channels: 3, width: 192, height: 128)
        try enlarged.fill(enlarging: MemoryCanvas(try XCTUnwrap(coarse)))
        XCTAssertEqual(output.array.map(\.bitPattern), enlarged.tensor.array.map(\.bitPattern))
        // What the tasks would have given: every tile's starting pixels blended into the canvas.
        let grid = TileGrid(width: 192, height: 128, round: 0, settings: settings.tile, alignment: 8)
        XCTAssertGreaterThan(grid.count, 1)
        let blended = MemoryCanvas(enlarged.tensor.clone())
        TileBlender(grid: grid).blend(into: blended) { enlarged.read($0.result) }
        XCTAssertEqual(blended.tensor.array.map(\.bitPattern), enlarged.tensor.array.map(\.bitPattern))
    }
}

/// Runs each round with `inner` and records the keys it was asked for.
private final class RecordingExecutor: TileExecutor {
    let inner: TileExecutor
    private(set) var keys: [TileResultKey] = []

    init(inner: TileExecutor) { self.inner = inner }

    func run(
        style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage,
        accept: (TileResultRecord) throws -> Void
    ) throws {
        self.keys += keys
        try inner.run(style: style, keys: keys, task: task, accept: accept)
    }
}
