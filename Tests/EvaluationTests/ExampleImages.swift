import Evaluation
import Foundation
import ImageIO
import Network
import Semantics
import Tensor
import TestSupport

/// The repository's sample images and the evaluation on the real default weights, loaded once.
enum ExampleImages {
    static func path(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/\(name)").path
    }

    /// `Examples/<name>` as RGB, reduced to a long side of `longSide` (area average) to keep the
    /// tests fast.
    static func load(_ name: String, longSide: Int = 160) throws -> Tensor {
        let full = try ImageFile.open(path(name)).readAll().rgbTensor()
        let scale = Double(longSide) / Double(max(full.height, full.width))
        let reduced = Tensor(
            channels: 3, height: Int((Double(full.height) * scale).rounded()),
            width: Int((Double(full.width) * scale).rounded()))
        Resample.area(full, into: reduced)
        return reduced
    }

    /// The evaluation with the default weights (`$ATELIER_WEIGHTS` or the cache that
    /// `Scripts/fetch-weights` fills); a missing file fails the test with that script's name.
    static func evaluation() throws -> StyleEvaluation {
        try loaded.get()
    }

    nonisolated(unsafe) private static let loaded = Result {
        try StyleEvaluation(contentsOf: WeightsLocation.resolve(explicit: nil))
    }
}
