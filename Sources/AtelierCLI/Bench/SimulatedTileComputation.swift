import Foundation
import Pipeline

/// `atelier worker --simulate SECONDS`: a tile's computation replaced by a sleep of the measured
/// per-tile time, its result the task's own pixels, so that `bench scaling` can run hundreds of
/// real worker processes, speaking the real protocol, on one machine. Never the default: the
/// worker runs it only when the flag is given, and says so in its start line.
final class SimulatedTileComputation: TileComputation {
    private let inner = PassThroughTileComputation()
    let seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    func prepare(_ style: StyleMessage) throws { try inner.prepare(style) }

    func solve(_ task: TaskMessage) throws -> TileResultRecord {
        Thread.sleep(forTimeInterval: seconds)
        return try inner.solve(task)
    }
}
