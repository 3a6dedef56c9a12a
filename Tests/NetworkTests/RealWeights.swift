import Foundation
import ImageIO
import Network
import Tensor
import TestSupport

/// The real converted weights that `Scripts/setup` fetches. Tests on them fail, never skip, when
/// the file is missing: CI must have run `Scripts/fetch-weights`.
enum RealWeights {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "the default weights are not at \(path): run Scripts/fetch-weights (Scripts/setup does)"
        }
    }

    /// The default weights file, checked to exist.
    static func path() throws -> String {
        let path = WeightsLocation.defaultPath()
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// The RGB image of a sample PNG (`Tests/Fixtures/samples`), as a 3×H×W tensor in [0, 1].
    static func sharedImage(_ relativePath: String) throws -> Tensor {
        let raster = try PNGFile.read(path: Fixtures.samples.appendingPathComponent(relativePath).path).colour()
        let planes =
            raster.channelCount == 3 ? raster.samples : Array([[Float]](repeating: raster.samples, count: 3).joined())
        return Tensor(Shape(channels: 3, height: raster.height, width: raster.width), values: planes)
    }
}
