import Semantics
import Tensor
import XCTest

@testable import Evaluation

final class ColourDistanceTests: XCTestCase {
    /// A 3×H×W image whose pixel (x, y) is `colour(x, y)` (sRGB 0…1).
    private func image(height: Int, width: Int, _ colour: (Int, Int) -> SIMD3<Float>) -> Tensor {
        let result = Tensor(channels: 3, height: height, width: width)
        for y in 0..<height {
            for x in 0..<width {
                let c = colour(x, y)
                for channel in 0..<3 { result[channel, y, x] = c[channel] }
            }
        }
        return result
    }

    /// The closed form for two single-colour sets: every quantile differs by u·(a − b).
    private func expectedDistance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Double {
        let delta = CIELAB.lab(fromSRGB: SIMD3<Double>(a)) - CIELAB.lab(fromSRGB: SIMD3<Double>(b))
        return SlicedWasserstein().directions.reduce(0.0) { $0 + abs(($1 * delta).sum()) } / 64
    }

    func testAPaintingAgainstItselfIsAtDistanceZero() {
        var random = SplitMix64(seed: 11)
        let painting = image(height: 40, width: 60) { _, _ in
            SIMD3(Float.random(in: 0...1, using: &random), Float.random(in: 0...1, using: &random), 0.5)
        }
        XCTAssertEqual(ColourDistance.global(output: painting, painting: painting), 0)
    }

    /// The painting is scaled to the output's long side first: a flat painting twice the size
    /// compares as the same colours, and another flat colour by the closed form.
    func testThePaintingIsScaledToTheOutputAndFlatColoursFollowTheClosedForm() {
        let red = SIMD3<Float>(0.8, 0.1, 0.1), blue = SIMD3<Float>(0.1, 0.2, 0.9)
        let painting = image(height: 64, width: 96) { _, _ in red }
        XCTAssertEqual(
            ColourDistance.global(output: image(height: 32, width: 48) { _, _ in red }, painting: painting), 0)
        let distance = ColourDistance.global(output: image(height: 32, width: 48) { _, _ in blue }, painting: painting)
        XCTAssertEqual(distance, expectedDistance(blue, red), accuracy: 1e-4)
        XCTAssertGreaterThan(distance, 20)
    }

    /// Two regions, left and right: the output's left matches the painting's left region, its right
    /// has another colour than the painting's right. Only the right region has a figure above 0,
    /// the one of the closed form; a sliver under 1% stays out of the mean, and a label the
    /// painting lacks has no figure.
    func testOnlyTheRegionWhoseColourDiffersHasADistance() {
        let (height, width) = (40, 100)
        let red = SIMD3<Float>(0.8, 0.1, 0.1), blue = SIMD3<Float>(0.1, 0.2, 0.9)
        let green = SIMD3<Float>(0.2, 0.7, 0.2), yellow = SIMD3<Float>(0.9, 0.9, 0.1)
        // Label 0: left half; 1: right half except column 99; 2: column 99 (1% of the output,
        // rows 0..<20 only, so 0.5%); 3: the rest of column 99, absent from the painting.
        func contentLabel(_ x: Int, _ y: Int) -> Int32 { x < 50 ? 0 : x < 99 ? 1 : y < 20 ? 2 : 3 }
        func styleLabel(_ x: Int, _ y: Int) -> Int32 { x < 50 ? 0 : x < 99 ? 1 : 2 }
        let palette: [SIMD3<Float>] = [[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 1, 1]]
        func labels(_ label: (Int, Int) -> Int32) -> LabelMap {
            let values = (0..<(height * width)).map { label($0 % width, $0 / width) }
            return LabelMap(width: width, height: height, count: 4, labels: values, palette: palette)
        }
        let painting = image(height: height, width: width) { x, _ in x < 50 ? red : x < 99 ? blue : yellow }
        let output = image(height: height, width: width) { x, _ in x < 50 ? red : x < 99 ? green : red }

        let regions = ColourDistance.regions(
            output: output, painting: painting, contentLabels: labels(contentLabel), styleLabels: labels(styleLabel))
        XCTAssertEqual(regions.map(\.label), [0, 1, 2, 3])
        XCTAssertEqual(regions.map(\.area), [0.5, 0.49, 0.005, 0.005])
        XCTAssertEqual(regions[0].colour, 0)
        XCTAssertEqual(regions[1].colour!, expectedDistance(green, blue), accuracy: 1e-4)
        XCTAssertEqual(regions[2].colour!, expectedDistance(red, yellow), accuracy: 1e-4)
        XCTAssertNil(regions[3].colour, "the painting has no pixels of label 3")
        XCTAssertEqual(regions[1].mapColour, [0, 0, 1])

        let mean = try! XCTUnwrap(ColourDistance.areaWeightedMean(of: regions))
        XCTAssertEqual(mean, 0.49 * regions[1].colour! / 0.99, accuracy: 1e-9, "the 0.5% regions stay out")
        XCTAssertNil(ColourDistance.areaWeightedMean(of: [regions[2], regions[3]]))
    }

    /// The labels may come at any size: they are resized by nearest neighbour to the output and
    /// to the scaled painting.
    func testLabelMapsOfOtherSizesAreResizedToTheImages() {
        let red = SIMD3<Float>(0.8, 0.1, 0.1), blue = SIMD3<Float>(0.1, 0.2, 0.9)
        let halves = LabelMap(width: 2, height: 1, count: 2, labels: [0, 1])
        let painting = image(height: 30, width: 80) { x, _ in x < 40 ? red : blue }
        let output = image(height: 15, width: 40) { x, _ in x < 20 ? red : blue }
        let regions = ColourDistance.regions(
            output: output, painting: painting, contentLabels: halves, styleLabels: halves)
        XCTAssertEqual(regions.map(\.colour), [0, 0])
        XCTAssertEqual(regions.map(\.area), [0.5, 0.5])
        XCTAssertNil(regions[0].mapColour)
    }

    /// Sets above `maximumSamples` pixels are subsampled at even steps; on a photo-like image the
    /// figure stays near the one over every pixel.
    func testSubsamplingLargeImagesKeepsTheFigureCloseToTheExactOne() {
        var random = SplitMix64(seed: 12)
        let output = image(height: 300, width: 320) { x, y in
            SIMD3(Float(x) / 320, Float(y) / 300, Float.random(in: 0...0.3, using: &random))
        }
        let painting = image(height: 300, width: 320) { x, y in
            SIMD3(0.5 * Float(y) / 300, 0.2 + Float.random(in: 0...0.5, using: &random), Float(x) / 320)
        }
        let everyPixel = Array(0..<(300 * 320))
        XCTAssertGreaterThan(everyPixel.count, ColourDistance.maximumSamples)
        func lab(_ image: Tensor) -> [SIMD3<Double>] {
            everyPixel.map { i in
                CIELAB.lab(
                    fromSRGB: SIMD3(
                        Double(image[0, i / 320, i % 320]), Double(image[1, i / 320, i % 320]),
                        Double(image[2, i / 320, i % 320])))
            }
        }
        let exact = SlicedWasserstein().distance(lab(output), lab(painting))
        let sampled = ColourDistance.global(output: output, painting: painting)
        XCTAssertEqual(sampled, exact, accuracy: 0.01 * exact, "exact \(exact), subsampled \(sampled)")
        XCTAssertEqual(ColourDistance.evenSubsample(Array(0..<10), limit: 4), [0, 2, 5, 7])
    }
}
