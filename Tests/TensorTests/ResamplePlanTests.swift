import Tensor
import TestSupport
import XCTest

final class ResamplePlanTests: XCTestCase {
    /// A copy of rows × columns of `tensor`.
    private func crop(_ tensor: Tensor, rows: Range<Int>, columns: Range<Int>) -> Tensor {
        let part = Tensor(channels: tensor.channels, height: rows.count, width: columns.count)
        for c in 0..<tensor.channels {
            for (y, row) in rows.enumerated() {
                for (x, column) in columns.enumerated() { part[c, y, x] = tensor[c, row, column] }
            }
        }
        return part
    }

    /// For every kind, odd sizes and non-integer factors (shrinking, enlarging, one axis each
    /// way): a window computed from just the input window the plan names is bit-identical to the
    /// same crop of `Resample.forward` over the whole image.
    func testWindowsEqualCropsOfTheWholeResizeBitForBit() {
        var random = SeededRandom(seed: 17)
        let sizes = [(37, 23, 11, 7), (37, 23, 80, 51), (29, 31, 13, 64), (16, 16, 16, 16), (101, 5, 3, 9)]
        for kind in Resample.Kind.allCases {
            for (inH, inW, outH, outW) in sizes {
                let input = random.tensor(Shape(channels: 2, height: inH, width: inW), in: 0...1)
                let whole = Tensor(channels: 2, height: outH, width: outW)
                Resample.forward(input, into: whole, kind: kind)
                let plan = Resample.Plan(
                    kind: kind, inputHeight: inH, inputWidth: inW, outputHeight: outH, outputWidth: outW)
                for _ in 0..<6 {
                    let y0 = Int.random(in: 0..<outH, using: &random), x0 = Int.random(in: 0..<outW, using: &random)
                    let rows = y0..<Int.random(in: y0 + 1...outH, using: &random)
                    let columns = x0..<Int.random(in: x0 + 1...outW, using: &random)
                    let readRows = plan.inputRows(for: rows), readColumns = plan.inputColumns(for: columns)
                    XCTAssertTrue(readRows.lowerBound >= 0 && readRows.upperBound <= inH)
                    XCTAssertTrue(readColumns.lowerBound >= 0 && readColumns.upperBound <= inW)
                    let window = Tensor(channels: 2, height: rows.count, width: columns.count)
                    plan.apply(crop(input, rows: readRows, columns: readColumns), outputRows: rows,
                               outputColumns: columns, into: window)
                    XCTAssertEqual(window.array, crop(whole, rows: rows, columns: columns).array,
                                   "\(kind) \(inH)x\(inW)→\(outH)x\(outW) rows \(rows) columns \(columns)")
                }
            }
        }
    }

    /// The input window is local: one output pixel of a 4× area shrink reads its 4×4 block only,
    /// and of a bicubic enlargement at most 4×4 pixels.
    func testInputWindowsAreLocal() {
        let area = Resample.Plan(kind: .area, inputHeight: 64, inputWidth: 64, outputHeight: 16, outputWidth: 16)
        XCTAssertEqual(area.inputRows(for: 5..<6), 20..<24)
        XCTAssertEqual(area.inputColumns(for: 0..<2), 0..<8)
        let bicubic = Resample.Plan(kind: .bicubic, inputHeight: 10, inputWidth: 10, outputHeight: 25, outputWidth: 25)
        XCTAssertLessThanOrEqual(bicubic.inputRows(for: 12..<13).count, 4)
    }
}
