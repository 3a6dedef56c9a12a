import Tensor
import XCTest

@testable import Transfer

/// The colour finish's smoothing of its change: a guided filter per region, the content's
/// brightness its guide.
final class DisplacementSmoothingTests: XCTestCase {
    /// The window means equal a naive Float64 mean over each pixel's window, counting only the
    /// region's pixels inside the image.
    func testWindowMeansMatchANaiveMeanOverTheRegion() {
        let height = 37, width = 53, radius = 4, plane = height * width
        var random = SplitMix64(seed: 3)
        let values = (0..<plane).map { _ in Float(random.nextNormal()) }
        let labels = (0..<plane).map { Int32(($0 % width) * 3 / width + ($0 / width > 20 ? 1 : 0)) }
        for label in Int32(0)...3 {
            let window = DisplacementSmoothing.RegionWindow(
                labels: labels, label: label, height: height, width: width, radius: radius)
            let means = window.mean { values[$0] }
            for p in 0..<plane {
                guard labels[p] == label else {
                    XCTAssertEqual(means[p], 0)
                    continue
                }
                var sum = 0.0, count = 0.0
                for y in max(0, p / width - radius)...min(height - 1, p / width + radius) {
                    for x in max(0, p % width - radius)...min(width - 1, p % width + radius)
                    where labels[y * width + x] == label {
                        sum += Double(values[y * width + x])
                        count += 1
                    }
                }
                XCTAssertEqual(Double(means[p]), sum / count, accuracy: 1e-5)
            }
        }
    }

    /// A change that is constant within each region comes through exactly, however narrow the
    /// region: one region's change never bleeds into its neighbour's pixels.
    func testAConstantChangePerRegionIsKeptWithoutBleeding() {
        let height = 24, width = 30, plane = height * width
        let labels = (0..<plane).map { Int32(($0 % width) < 11 ? 0 : (($0 / width) < 5 ? 1 : 2)) }
        let image = Tensor(Shape(channels: 3, height: height, width: width),
                           values: (0..<(3 * plane)).map { Float(($0 * 7919) % 97) / 200 + 0.2 })
        let shifts: [SIMD3<Float>] = [[0.1, -0.05, 0.02], [-0.1, 0.1, 0], [0.03, 0.03, -0.1]]
        let finished = Tensor(image.shape)
        for c in 0..<3 {
            for p in 0..<plane { finished[c, p / width, p % width] = image[flat: c * plane + p] + shifts[Int(labels[p])][c] }
        }
        let result = DisplacementSmoothing.apply(
            image: image, finished: finished, guide: DisplacementSmoothing.guide(image), labels: labels, count: 3,
            radius: 6)
        for c in 0..<3 {
            for p in 0..<plane {
                XCTAssertEqual(result[flat: c * plane + p], finished[flat: c * plane + p], accuracy: 1e-5)
            }
        }
    }

    /// Detail the image has and the content has not (painted strokes over a flat wall) stays: a
    /// finish that sends every pixel to one colour moves the mean and leaves the stripes' steps.
    func testAFlatteningFinishKeepsDetailTheContentHasNot() {
        let height = 64, width = 64, plane = height * width
        var values = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 { for p in 0..<plane { values[c * plane + p] = (p % width) % 8 < 4 ? 0.3 : 0.6 } }
        let image = Tensor(Shape(channels: 3, height: height, width: width), values: values)
        let finished = Tensor(image.shape, values: [Float](repeating: 0.5, count: 3 * plane))
        let wall = [Float](repeating: 0.4, count: plane)
        let result = DisplacementSmoothing.apply(
            image: image, finished: finished, guide: wall, labels: nil, count: 1, radius: 12)
        let y = 32
        for x in 16..<48 where x % 8 == 3 {
            XCTAssertEqual(result[0, y, x + 1] - result[0, y, x], 0.3, accuracy: 0.02)
        }
        let mean = (16..<48).reduce(Float(0)) { $0 + result[1, y, $1] } / 32
        XCTAssertEqual(mean, 0.5, accuracy: 0.02)
    }

    /// Where the content has an edge, the change may step with it: a dark half asked to lighten
    /// and a light half asked to darken each get their own change right up to the edge, where a
    /// smoothing blind to the content would blur the two across it (the cat's contour against
    /// the wall). Away from content edges the change stays smooth (the test above).
    func testTheChangeStepsWithTheContentsEdges() {
        let height = 40, width = 60, plane = height * width, edge = 30
        let content = Tensor(Shape(channels: 3, height: height, width: width))
        let image = Tensor(Shape(channels: 3, height: height, width: width))
        let finished = Tensor(image.shape)
        for c in 0..<3 {
            for p in 0..<plane {
                let dark = p % width < edge
                content[flat: c * plane + p] = dark ? 0.2 : 0.8
                image[flat: c * plane + p] = dark ? 0.25 : 0.75
                finished[flat: c * plane + p] = dark ? 0.45 : 0.55
            }
        }
        let result = DisplacementSmoothing.apply(
            image: image, finished: finished, guide: DisplacementSmoothing.guide(content), labels: nil, count: 1,
            radius: 12)
        // Blind to the edge, the two changes would cancel there (0.25 and 0.75 left as they
        // were); the regulariser lets a little of each through to the other side (0.42, 0.58).
        for x in [edge - 2, edge - 1] { XCTAssertEqual(result[0, 20, x], 0.45, accuracy: 0.04, "column \(x)") }
        for x in [edge, edge + 1] { XCTAssertEqual(result[0, 20, x], 0.55, accuracy: 0.04, "column \(x)") }
    }
}
