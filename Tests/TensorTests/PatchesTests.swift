import TestSupport
import XCTest

@testable import Tensor

final class PatchesTests: XCTestCase {
    func testExtractLaysOutEachWindowChannelMajor() {
        var random = SeededRandom(seed: 61)
        let map = random.tensor(Shape(channels: 2, height: 4, width: 5))
        let patches = Tensor(Patches.shape(for: map.shape))
        Patches.extract(map, into: patches)
        XCTAssertEqual(patches.shape, Shape(channels: 1, height: 2 * 3, width: 18))
        for y in 0..<2 {
            for x in 0..<3 {
                for c in 0..<2 {
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            XCTAssertEqual(patches[0, y * 3 + x, c * 9 + ky * 3 + kx], map[c, y + ky, x + kx])
                        }
                    }
                }
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        var random = SeededRandom(seed: 62)
        let map = random.tensor(Shape(channels: 3, height: 5, width: 4))
        let patches = Tensor(Patches.shape(for: map.shape))
        let upstream = random.tensor(patches.shape), gradient = Tensor(map.shape)
        Patches.backward(patchesGradient: upstream, into: gradient)
        let error = GradientCheck.relativeError(of: gradient, input: map) {
            Patches.extract(map, into: patches)
            return GradientCheck.dot(upstream, patches)
        }
        XCTAssertLessThan(error, 1e-3)
    }
}
