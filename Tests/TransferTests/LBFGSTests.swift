import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

final class LBFGSTests: XCTestCase {
    func testBoundedQuadraticEndsAtTheProjectedMinimum() throws {
        // f(x) = Σ a_i (x_i − c_i)², with some c_i outside [0, 1]: the constrained minimum is clamp(c).
        var random = SeededRandom(seed: 111)
        let count = 40
        let a = (0..<count).map { _ in random.float(in: 0.5...5) }
        let c = (0..<count).map { _ in random.float(in: -0.5...1.5) }
        let x = Tensor(Shape(channels: 1, height: 1, width: count))
        x.fill(0.5)
        let optimizer = LBFGS(shape: x.shape)
        let trace = try optimizer.minimize(x, iterations: 60) { x, g in
            var f = 0.0
            for i in 0..<count {
                let d = x[flat: i] - c[i]
                f += Double(a[i] * d * d)
                g[flat: i] = 2 * a[i] * d
            }
            return f
        }
        for i in 0..<count { XCTAssertEqual(x[flat: i], min(max(c[i], 0), 1), accuracy: 1e-3, "x[\(i)]") }
        for (before, after) in zip(trace, trace.dropFirst()) { XCTAssertLessThanOrEqual(after, before + 1e-9) }
    }

    func testRosenbrockValleyIsFollowedToTheMinimum() throws {
        let x = Tensor(Shape(channels: 1, height: 1, width: 2), values: [-1.2, 1])
        var settings = LBFGS.Settings()
        settings.lowerBound = -5
        settings.upperBound = 5
        settings.initialStep = 0.1
        settings.maximumBacktracks = 20
        let optimizer = LBFGS(shape: x.shape, settings: settings)
        try optimizer.minimize(x, iterations: 200) { x, g in
            let (u, v) = (Double(x[flat: 0]), Double(x[flat: 1]))
            g[flat: 0] = Float(-2 * (1 - u) - 400 * u * (v - u * u))
            g[flat: 1] = Float(200 * (v - u * u))
            return (1 - u) * (1 - u) + 100 * (v - u * u) * (v - u * u)
        }
        XCTAssertEqual(x[flat: 0], 1, accuracy: 1e-2)
        XCTAssertEqual(x[flat: 1], 1, accuracy: 2e-2)
    }
}
