import ImageIO
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

final class TileSolverTests: XCTestCase {
    private let context = PixelRect(x: 64, y: 32, width: 96, height: 88)
    private let result = PixelRect(x: 16, y: 24, width: 40, height: 32)

    private func style(set: UInt64 = 5) -> StyleMessage {
        var random = SeededRandom(seed: 3)
        return StyleMessage(
            job: "1", level: 0, styleSet: set, settings: TransferSettings(),
            style: random.tensor(Shape(channels: 3, height: 64, width: 64), in: 0...1),
            styleSemantics: [PipelineFixtures.halves(width: 64, height: 64)], semanticWeights: [1])
    }

    private func task(iterations: Int = 3) -> TaskMessage {
        var random = SeededRandom(seed: 4)
        let shape = Shape(channels: 3, height: context.height, width: context.width)
        return TaskMessage(
            key: TileResultKey(job: "1", level: 0, round: 1, tile: 2), styleSet: 5, context: context, result: result,
            iterations: iterations, seed: 77, initial: random.tensor(shape, in: 0...1),
            content: random.tensor(shape, in: 0...1),
            contentSemantics: [PipelineFixtures.halves(width: context.width, height: context.height)])
    }

    func testTheHaloIsReadOnlyAndOnlyTheResultRectangleMoves() throws {
        let solver = TileSolver(vgg: PipelineFixtures.vgg())
        try solver.prepare(style())
        let task = task()
        let image = task.initial.clone()
        let trace = try solver.optimise(image, task: task)
        XCTAssertEqual(trace.count, 4)
        XCTAssertLessThan(trace.last!, trace.first!)
        var moved = 0
        for c in 0..<3 {
            for y in 0..<context.height {
                for x in 0..<context.width {
                    let inside = result.contains(PixelRect(x: x, y: y, width: 1, height: 1))
                    if inside {
                        if image[c, y, x] != task.initial[c, y, x] { moved += 1 }
                    } else {
                        XCTAssertEqual(image[c, y, x].bitPattern, task.initial[c, y, x].bitPattern, "halo moved at \(c),\(y),\(x)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(moved, result.pixelCount, "the result rectangle was optimised")

        // The result message holds exactly the result rectangle, placed in level pixels.
        let message = try solver.solve(task)
        XCTAssertEqual(message.key, task.key)
        XCTAssertEqual(message.rect, PixelRect(x: 80, y: 56, width: 40, height: 32))
        XCTAssertEqual(message.pixels.array, MemoryCanvas(image).read(result).array, "same task, same bytes")
        XCTAssertEqual(message.lossTrace, trace.map(Float.init))
    }

    func testTheStyleBankIsBuiltOncePerStyleSetByTheFirstTaskThatIterates() throws {
        let solver = TileSolver(vgg: PipelineFixtures.vgg())
        XCTAssertThrowsError(try solver.solve(task())) { error in
            XCTAssertTrue("\(error)".contains("style set 5 was not sent"), "\(error)")
        }
        try solver.prepare(style())
        try solver.prepare(style())
        XCTAssertEqual(solver.banksBuilt, 0, "no bank before a task needs one")
        XCTAssertTrue(solver.holds(job: "1", styleSet: 5))
        _ = try solver.solve(task(iterations: 1))
        _ = try solver.solve(task(iterations: 1))
        XCTAssertEqual(solver.banksBuilt, 1)
        try solver.prepare(style(set: 6))
        XCTAssertFalse(solver.holds(job: "1", styleSet: 5))
        var next = task(iterations: 1)
        next.styleSet = 6
        _ = try solver.solve(next)
        XCTAssertEqual(solver.banksBuilt, 2)
    }

    /// A task of zero iterations (a fine level of the gigapixel check) returns its initial pixels
    /// over the result rectangle without building a bank or running the network.
    func testAZeroIterationTaskReturnsItsInitialPixelsWithoutABank() throws {
        let solver = TileSolver(vgg: PipelineFixtures.vgg())
        try solver.prepare(style())
        let zero = task(iterations: 0)
        let record = try solver.solve(zero)
        XCTAssertEqual(solver.banksBuilt, 0)
        XCTAssertEqual(record.lossTrace, [])
        XCTAssertEqual(record.rect, result.offsetBy(dx: context.x, dy: context.y))
        XCTAssertEqual(record.pixels.array, MemoryCanvas(zero.initial).read(result).array)
    }

    func testTasksWhosePartsDoNotFitAreRefusedNotTrapped() throws {
        let solver = TileSolver(vgg: PipelineFixtures.vgg())
        try solver.prepare(style())
        var noGroups = task()
        noGroups.contentSemantics = []
        var wrongChannels = task()
        wrongChannels.contentSemantics = [Tensor(channels: 3, height: context.height, width: context.width)]
        var outside = task()
        outside.result = PixelRect(x: 80, y: 0, width: 40, height: 10)
        var wrongSize = task()
        wrongSize.content = Tensor(channels: 3, height: 8, width: 8)
        for bad in [noGroups, wrongChannels, outside, wrongSize] {
            XCTAssertThrowsError(try solver.solve(bad)) { error in
                guard case PipelineError.task = error else { return XCTFail("\(error)") }
            }
        }
        var badStyle = style(set: 9)
        badStyle.semanticWeights = []
        XCTAssertThrowsError(try solver.prepare(badStyle))
    }

    func testSeedsDependOnTheTilesPlaceAndTheJobSeedAlone() {
        let key = TileResultKey(job: "1", level: 2, round: 1, tile: 7)
        XCTAssertEqual(key.seed(jobSeed: 5), key.seed(jobSeed: 5))
        let others = [TileResultKey(job: "1", level: 2, round: 1, tile: 8), TileResultKey(job: "1", level: 2, round: 0, tile: 7),
                      TileResultKey(job: "1", level: 3, round: 1, tile: 7)]
        let seeds = Set(others.map { $0.seed(jobSeed: 5) } + [key.seed(jobSeed: 5), key.seed(jobSeed: 6)])
        XCTAssertEqual(seeds.count, 5)
        // The name labels the job on the wire only: a job renamed in a batch keeps its bytes.
        XCTAssertEqual(TileResultKey(job: "batch-job", level: 2, round: 1, tile: 7).seed(jobSeed: 5), key.seed(jobSeed: 5))
    }
}
