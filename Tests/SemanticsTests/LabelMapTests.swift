import Semantics
import Tensor
import XCTest

final class LabelMapTests: XCTestCase {
    private let map = LabelMap(width: 3, height: 2, count: 3, labels: [0, 1, 2, 2, 1, 0])

    func testOneHotHasAOneInTheLabelsChannelOnly() {
        let encoded = map.oneHot()
        XCTAssertEqual(encoded.shape, Shape(channels: 3, height: 2, width: 3))
        for y in 0..<2 {
            for x in 0..<3 {
                for k in 0..<3 { XCTAssertEqual(encoded[k, y, x], k == map[x: x, y: y] ? 1 : 0) }
            }
        }
    }

    func testResizingRepeatsLabelsByNearestNeighbour() {
        let resized = map.resized(width: 6, height: 4)
        XCTAssertEqual(resized.labels, [0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 2, 2, 1, 1, 0, 0])
        XCTAssertEqual(resized.resized(width: 3, height: 2), map)
        XCTAssertEqual(resized.areas, [8, 8, 8])
    }

    func testPictureUsesThePaletteWhenThereIsOne() {
        let coloured = LabelMap(width: 1, height: 2, count: 2, labels: [1, 0], palette: [[1, 0, 0], [0, 0, 1]])
        let picture = coloured.picture()
        XCTAssertEqual(picture.samples, [0, 1, 0, 0, 1, 0])
    }
}
