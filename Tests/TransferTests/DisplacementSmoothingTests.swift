import Tensor
import XCTest

@testable import Transfer

/// The colour finish's smoothing of its change: per region, almost Gaussian, keeping the drawing.
final class DisplacementSmoothingTests: XCTestCase {
    /// Three running-sum passes equal a naive Float64 box filter applied three times (zeros
    /// outside), and their spread is the Gaussian width asked for.
    func testBoxPassesMatchANaiveFilterAndTheGaussianWidth() {
        let height = 37, width = 53, sigma: Float = 4
        let radius = DisplacementSmoothing.boxRadius(sigma: sigma)
        var random = SplitMix64(seed: 3)
        var values = (0..<(height * width)).map { _ in Float(random.nextNormal()) }
        var reference = values.map(Double.init)
        var scratch = [Float](repeating: 0, count: values.count)
        DisplacementSmoothing.blur(&values, height: height, width: width, radius: radius, scratch: &scratch)
        func naivePass(_ v: [Double], alongRows: Bool) -> [Double] {
            var out = [Double](repeating: 0, count: v.count)
            for y in 0..<height {
                for x in 0..<width {
                    var sum = 0.0
                    for d in -radius...radius {
                        let (yy, xx) = alongRows ? (y, x + d) : (y + d, x)
                        if yy >= 0 && yy < height && xx >= 0 && xx < width { sum += v[yy * width + xx] }
                    }
                    out[y * width + x] = sum / Double(2 * radius + 1)
                }
            }
            return out
        }
        for _ in 0..<3 { reference = naivePass(naivePass(reference, alongRows: true), alongRows: false) }
        for i in values.indices { XCTAssertEqual(Double(values[i]), reference[i], accuracy: 1e-5) }

        // An impulse far from the borders spreads with the asked-for variance along a row.
        var impulse = [Float](repeating: 0, count: height * width)
        impulse[18 * width + 26] = 1
        DisplacementSmoothing.blur(&impulse, height: height, width: width, radius: radius, scratch: &scratch)
        let row = (0..<width).map { Double(impulse[18 * width + $0]) }
        let mass = row.reduce(0, +)
        let variance = row.enumerated().reduce(0.0) { $0 + $1.element * Double(($1.offset - 26) * ($1.offset - 26)) } / mass
        XCTAssertEqual(variance.squareRoot(), Double(sigma), accuracy: 0.5)
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
        let result = DisplacementSmoothing.apply(image: image, finished: finished, labels: labels, count: 3, sigma: 6)
        for c in 0..<3 {
            for p in 0..<plane {
                XCTAssertEqual(result[flat: c * plane + p], finished[flat: c * plane + p], accuracy: 1e-5)
            }
        }
    }

    /// A finish that flattens the image's detail (every pixel sent to one colour) leaves the
    /// detail in place: the change is smooth, so the image's own edges stay as strong.
    func testAFlatteningFinishKeepsTheImagesEdges() {
        let height = 64, width = 64, plane = height * width
        var values = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 { for p in 0..<plane { values[c * plane + p] = (p % width) % 8 < 4 ? 0.3 : 0.6 } }
        let image = Tensor(Shape(channels: 3, height: height, width: width), values: values)
        let finished = Tensor(image.shape, values: [Float](repeating: 0.5, count: 3 * plane))
        let result = DisplacementSmoothing.apply(image: image, finished: finished, labels: nil, count: 1, sigma: 8)
        // Stripes of 0.3 and 0.6 keep their step of 0.3 in the middle of the image, and the mean
        // moves to the finish's 0.5.
        let y = 32
        for x in 16..<48 where x % 8 == 3 {
            XCTAssertEqual(result[0, y, x + 1] - result[0, y, x], 0.3, accuracy: 0.02)
        }
        let mean = (16..<48).reduce(Float(0)) { $0 + result[1, y, $1] } / 32
        XCTAssertEqual(mean, 0.5, accuracy: 0.02)
    }
}
