import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

/// Patch grids: labels at patch centres, and fields carried from one pyramid level to the next.
final class PatchGridTests: XCTestCase {
    func testLabelsAreTheArgMaxOfTheSegmentationAtEachPatchCentre() {
        // 3 labels on a 5×6 map: label = the channel holding the largest fraction at (y, x).
        let segmentation = Tensor(channels: 3, height: 5, width: 6)
        for y in 0..<5 {
            for x in 0..<6 {
                let label = (x + 2 * y) % 3
                segmentation[label, y, x] = 0.6
                segmentation[(label + 1) % 3, y, x] = 0.4
            }
        }
        let grid = PatchGrid(map: Shape(channels: 7, height: 5, width: 6), segmentation: segmentation)
        XCTAssertEqual(grid.rows, 3)
        XCTAssertEqual(grid.columns, 4)
        let expected = (0..<12).map { (p: Int) -> Int32 in
            let (y, x) = p.quotientAndRemainder(dividingBy: 4)
            return Int32(((x + 1) + 2 * (y + 1)) % 3)
        }
        XCTAssertEqual(grid.labels, expected)
        XCTAssertNil(PatchGrid(map: Shape(channels: 7, height: 5, width: 6)).labels)
    }

    /// A field that shifts every patch by (2, 1) style patches at a level is carried to the next
    /// level (every map twice the size) as a shift by (4, 2): the offset doubles with the grid.
    func testAShiftCarriedToATwiceLargerLevelDoubles() {
        let coarse = (query: PatchGrid(rows: 6, columns: 8), bank: PatchGrid(rows: 10, columns: 10))
        let fine = (query: PatchGrid(rows: 14, columns: 18), bank: PatchGrid(rows: 22, columns: 22))
        let field = (0..<coarse.query.count).map { p in
            Int32((p / 8 + 2) * coarse.bank.columns + p % 8 + 1)
        }
        let carried = PatchGrid.carry(field, from: coarse, to: fine)
        XCTAssertEqual(carried.count, fine.query.count)
        for y in 0..<fine.query.rows {
            for x in 0..<fine.query.columns {
                let match = Int(carried[y * fine.query.columns + x])
                XCTAssertEqual(match / fine.bank.columns, y + 4, "row of (\(y), \(x))")
                XCTAssertEqual(match % fine.bank.columns, x + 2, "column of (\(y), \(x))")
            }
        }
    }

    /// The style scales by its own ratio (here ×4 while the image doubles): two fine patches one
    /// pixel apart under one coarse patch sit half a coarse pixel apart, so their carried matches
    /// are 0.5 · 4 = 2 style patches apart; a match carried past the style's edge is clamped.
    func testStyleCoordinatesScaleWithTheStyleAndStayInside() {
        let coarse = (query: PatchGrid(rows: 4, columns: 4), bank: PatchGrid(rows: 4, columns: 6))
        let fine = (query: PatchGrid(rows: 10, columns: 10), bank: PatchGrid(rows: 22, columns: 30))
        // Every coarse patch matches the style patch at (1, 2).
        let carried = PatchGrid.carry([Int32](repeating: 1 * 6 + 2, count: 16), from: coarse, to: fine)
        // Fine columns 3 and 4 (centres 4.5, 5.5 → coarse 2.25, 2.75) both lie under coarse column 1
        // (centre 2.5 ± 0.5), and so do rows 3 and 4.
        func position(_ y: Int, _ x: Int) -> (Int, Int) {
            let match = Int(carried[y * 10 + x])
            return (match / 30, match % 30)
        }
        XCTAssertEqual(position(3, 4).1 - position(3, 3).1, 2)
        XCTAssertEqual(position(4, 3).0 - position(3, 3).0, 2)
        // Coarse (1, 2) has its centre at (2.5, 3.5); ×4 → (10, 14), the corner of patch (8.5, 12.5).
        // Fine (2, 2) sits 0.25 coarse pixels past its coarse patch's centre: +1 style pixel.
        XCTAssertEqual(position(2, 2).0, 10)  // 8.5 + 1 = 9.5, rounded away from zero
        XCTAssertEqual(position(2, 2).1, 14)  // 12.5 + 1 = 13.5 → 14
        // The style kept at its size while the image doubles: fine patches past the last coarse
        // patch's centre would land beyond the style's last patch (row 3.75 → 4), and are clamped.
        let edge = PatchGrid.carry([Int32](repeating: 23, count: 16), from: coarse, to: (fine.query, coarse.bank))
        XCTAssertTrue(edge.allSatisfy { $0 >= 0 && Int($0) < coarse.bank.count })
        XCTAssertEqual(edge.last, 23, "the far corner clamps to the last patch")
    }
}
