import ImageIO
import TestSupport
import XCTest

final class BicubicUpsamplingTests: XCTestCase {
    func testARectangleWithItsMarginEqualsTheSameRectangleOfTheWholeUpsampling() throws {
        let folder = try TemporaryDirectory()
        let (source, _) = try patternPNGSource(in: folder, width: 40, height: 30, layout: .rgb)
        let sourceSize = PixelSize(width: 40, height: 30)
        for target in [PixelSize(width: 80, height: 60), PixelSize(width: 97, height: 71)] {
            let whole = try BicubicUpsampling.upsample(
                region: PixelRect(width: target.width, height: target.height), of: source, to: target)
            for rect in [
                PixelRect(x: 0, y: 0, width: 17, height: 9), PixelRect(x: 33, y: 21, width: 30, height: 25),
                PixelRect(x: target.width - 5, y: target.height - 7, width: 5, height: 7),
            ] {
                let needed = BicubicUpsampling.inputRect(for: rect, sourceSize: sourceSize, targetSize: target)
                XCTAssertTrue(PixelRect(width: 40, height: 30).contains(needed))
                XCTAssertLessThan(needed.width, rect.width / 2 + 6)  // only the rectangle and its margin
                let part = try BicubicUpsampling.upsample(region: rect, of: source, to: target)
                XCTAssertEqual(part, whole.cropped(to: rect), "\(target) \(rect)")
            }
        }
    }

    func testLinearRampsAreReproducedAndConstantsKept() {
        // Keys' kernel reproduces linear functions exactly away from the clamped edges.
        let width = 16
        let ramp = Raster(
            width: width, height: 4, layout: .gray, samples: (0..<(width * 4)).map { Float($0 % width) / 32 })
        let source = PixelSize(width: width, height: 4)
        let target = PixelSize(width: 2 * width, height: 8)
        let output = PixelRect(width: target.width, height: target.height)
        let result = BicubicUpsampling.upsample(
            ramp, inputRect: ramp.bounds, output: output, sourceSize: source, targetSize: target)
        for x in 4..<(target.width - 4) {
            let expected = ((Float(x) + 0.5) / 2 - 0.5) / 32
            XCTAssertEqual(result[x, 3, 0], expected, accuracy: 1e-6, "x \(x)")
        }
        let constant = Raster(width: 5, height: 5, layout: .gray, fill: 0.25)
        let upsampled = BicubicUpsampling.upsample(
            constant, inputRect: constant.bounds, output: PixelRect(width: 13, height: 13),
            sourceSize: PixelSize(width: 5, height: 5), targetSize: PixelSize(width: 13, height: 13))
        XCTAssertTrue(upsampled.samples.allSatisfy { abs($0 - 0.25) < 1e-6 })
    }
}
