import Foundation
import ImageIO
import Network
import Pipeline
import Tensor
import TestSupport
import Transfer
import Viewer

/// A small real run watched by a live view: a 192×128 job of two levels (96×64, then 192×128 in
/// six 64-pixel tiles, one round each) on a coordinator with one in-process worker over
/// `inproc://`, with a narrow random VGG. The worker solves the finest level's tiles only when
/// the test lets it (`release`), so a test sees each tile queued, leased and done in turn.
final class LiveJob: @unchecked Sendable {
    let live = LiveRun()
    let viewer: RunningViewer
    /// The finest level's results as the worker returned them, by tile.
    let results = Locked<[Int: TileResultRecord]>([:])
    /// Each finished level's canvas as the runner handed it over, by level.
    let canvases = Locked<[Int: Tensor]>([:])
    let plan: LevelPlan
    private let gate = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Locked<String?>(nil)

    static let width = 192, height = 128
    static let finestLevel = 1

    /// Two levels of one iteration each, the finest in 64-pixel tiles, one round a level.
    static let settings: StylizeSettings = {
        var settings = StylizeSettings()
        settings.transfer.coarseSize = 96
        settings.transfer.iterations = [1, 1]
        settings.tile.size = 64
        settings.tile.overlap = 16
        settings.tile.halo = 40
        settings.tile.rounds = 1
        return settings
    }()

    init() throws {
        plan = try Self.levelPlan()
        viewer = try RunningViewer(live: live)
        live.begin(job: "live-test", plan: plan)
        let (gate, results, canvases, live, failure, finished) =
            (gate, results, canvases, live, failure, finished)
        Thread {
            defer { finished.signal() }
            do {
                let pool = try InProcessWorkers(count: 1, makeSolver: {
                    GatedComputation(inner: TileSolver(vgg: Self.vgg()), gatedLevel: Self.finestLevel, gate: gate) {
                        record in results.update { $0[record.key.tile] = record }
                    }
                })
                pool.coordinator.snapshotTaken = { live.update($0) }
                defer { try? pool.shutdown() }
                _ = try TiledStylizer(vgg: Self.vgg(), settings: Self.settings, job: "live-test").run(
                    Self.inputs(), width: Self.width, height: Self.height,
                    executor: LiveExecutor(pool.coordinator, live: live),
                    levelFinished: { index, canvas in
                        let whole = PixelRect(width: canvas.width, height: canvas.height)
                        canvases.update { $0[index] = canvas.read(whole) }
                        live.levelFinished(index, canvas: canvas)
                    })
                live.finish()
            } catch {
                failure.update { $0 = "\(error)" }
                live.finish(failed: true)
            }
        }.start()
    }

    /// Lets the worker solve `count` more tiles of the finest level.
    func release(_ count: Int = 1) {
        for _ in 0..<count { gate.signal() }
    }

    /// Lets every tile through and waits for the run to end. - Returns: its error, if any.
    func complete() -> String? {
        release(64)
        _ = finished.wait(timeout: .now() + 300)
        return failure.value
    }

    /// `/status.json`, decoded.
    func status() throws -> LiveStatus {
        let answer = try viewer.http.get("/status.json")
        guard answer.status == 200 else { throw RawHTTP.Failure(description: "status.json: \(answer.status)") }
        return try JSONDecoder().decode(LiveStatus.self, from: Data(answer.body))
    }

    /// Polls the status until `condition` holds (at most `timeout` seconds), and returns it.
    func wait(
        _ what: String, timeout: Double = 180, until condition: (LiveStatus) -> Bool
    ) throws -> LiveStatus {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let status = try status()
            if condition(status) { return status }
            if let failure = failure.value { throw RawHTTP.Failure(description: "the run failed: \(failure)") }
            guard Date() < deadline else {
                throw RawHTTP.Failure(description: "timed out waiting for \(what); last status \(status)")
            }
            usleep(50_000)
        }
    }

    /// The job's levels and grids, as the runner plans them.
    static func levelPlan() throws -> LevelPlan {
        LevelPlan(
            width: width, height: height, transfer: settings.transfer, tile: settings.tile,
            alignment: try settings.geometry(of: vgg().architecture).alignment)
    }

    static func vgg() -> VGG {
        VGG(weights: RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 8), pooling: .average)
    }

    /// A smooth random content (a 6×8 random image enlarged) with a left/right DSS, a random style.
    static func inputs() -> MultiScaleStylizer.Inputs {
        var random = SeededRandom(seed: 5)
        let coarse = random.tensor(Shape(channels: 3, height: 6, width: 8), in: 0.1...0.9)
        let content = MultiScaleStylizer.resized(coarse, width: width, height: height, kind: .bilinear)
        let style = random.tensor(Shape(channels: 3, height: 72, width: 72), in: 0...1)
        func sides(_ width: Int, _ height: Int) -> Tensor {
            let map = Tensor(channels: 2, height: height, width: width)
            for y in 0..<height {
                for x in 0..<width { map[x * 2 < width ? 0 : 1, y, x] = 1 }
            }
            return map
        }
        return MultiScaleStylizer.Inputs(
            content: content, style: style, contentSemantics: [sides(width, height)],
            styleSemantics: [sides(72, 72)], semanticWeights: [1])
    }
}

/// A solver that waits for the test's word before each tile of one level, and reports each result.
final class GatedComputation: TileComputation {
    private let inner: TileComputation
    private let gatedLevel: Int
    private let gate: DispatchSemaphore
    private let solved: (TileResultRecord) -> Void

    init(
        inner: TileComputation, gatedLevel: Int, gate: DispatchSemaphore,
        solved: @escaping (TileResultRecord) -> Void
    ) {
        self.inner = inner
        self.gatedLevel = gatedLevel
        self.gate = gate
        self.solved = solved
    }

    func prepare(_ style: StyleMessage) throws { try inner.prepare(style) }

    func solve(_ task: TaskMessage) throws -> TileResultRecord {
        if task.key.level == gatedLevel, gate.wait(timeout: .now() + 300) == .timedOut {
            throw RawHTTP.Failure(description: "no test released \(task.key)")
        }
        let record = try inner.solve(task)
        if task.key.level == gatedLevel { solved(record) }
        return record
    }
}
