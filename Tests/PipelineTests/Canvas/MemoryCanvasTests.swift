import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

final class MemoryCanvasTests: XCTestCase {
    func testReadAndWriteMoveExactlyTheRectangle() {
        var random = SeededRandom(seed: 5)
        let base = random.tensor(Shape(channels: 3, height: 20, width: 30))
        let canvas = MemoryCanvas(base.clone())
        let rect = PixelRect(x: 7, y: 4, width: 11, height: 9)
        let patch = random.tensor(Shape(channels: 3, height: 9, width: 11))
        canvas.write(patch, at: rect)
        XCTAssertEqual(canvas.read(rect).array, patch.array)
        for c in 0..<3 {
            for y in 0..<20 {
                for x in 0..<30 {
                    let inside = x >= 7 && x < 18 && y >= 4 && y < 13
                    XCTAssertEqual(canvas.tensor[c, y, x], inside ? patch[c, y - 4, x - 7] : base[c, y, x])
                }
            }
        }
    }
}
