import Foundation
import Network
import Tensor

/// The real, pretrained VGG-16 for the tests of the method's claims: claims about where style
/// goes only mean something with the features the method was designed for.
public enum RealVGG {
    /// A missing default weights file: the tests that need it fail (never skip), saying how to
    /// get it.
    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String {
            "\(path): no VGG-16 weights; run Scripts/fetch-weights (the method's tests need the pretrained network)"
        }
    }

    /// The default VGG-16 (`WeightsLocation.resolve(explicit: nil)`: `$ATELIER_WEIGHTS`, else the
    /// cache that `Scripts/fetch-weights` fills).
    /// - Throws: `Missing` naming `Scripts/fetch-weights` when the file is absent.
    public static func load(pooling: Pool2x2.Kind) throws -> VGG {
        let path = WeightsLocation.resolve(explicit: nil)
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return try VGG(contentsOf: path, pooling: pooling)
    }
}
