import TestSupport
import XCTest

@testable import Tensor

final class TensorArithmeticTests: XCTestCase {
    func testElementwiseOperations() {
        let shape = Shape(channels: 1, height: 2, width: 2)
        let a = Tensor(shape, values: [1, -2, 3, -4])
        let b = Tensor(shape, values: [0.5, 0.5, -1, 2])
        XCTAssertEqual(a.dot(b), 0.5 - 1 - 3 - 8)
        XCTAssertEqual(a.maximumMagnitude, 4)
        a.add(b, scaledBy: 2)
        XCTAssertEqual(a.array, [2, -1, 1, 0])
        a.add(b)
        XCTAssertEqual(a.array, [2.5, -0.5, 0, 2])
        a.scale(by: -2)
        XCTAssertEqual(a.array, [-5, 1, 0, -4])
        a.clamp(to: -1...0.5)
        XCTAssertEqual(a.array, [-1, 0.5, 0, -1])
    }
}
