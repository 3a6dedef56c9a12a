import Foundation
import Network
import TestSupport
import XCTest

@testable import Tensor

/// The Winograd lowerings against the definition in Float64 (`Conv3x3Tests.naive`) and against
/// the exact im2col lowering's own rounding. (Finite differences: Conv3x3Tests runs its own over
/// every `Conv3x3.Lowering`, Winograd's included.)
final class WinogradTests: XCTestCase {
    static let winogradLowerings: [Conv3x3.Lowering] = [.winograd, .winograd4]

    /// Relative errors of a forward pass against the Float64 definition: the worst element
    /// scaled by its sum of absolute products, and the whole output's ‖error‖₂ / ‖reference‖₂.
    struct Errors {
        var elementwise = 0.0
        var norm = 0.0
    }

    private static func errors(of output: Tensor, reference: (values: [Double], magnitudes: [Double])) -> Errors {
        var errors = Errors()
        var squaredError = 0.0, squaredReference = 0.0
        for i in 0..<output.count {
            let error = abs(Double(output[flat: i]) - reference.values[i])
            errors.elementwise = max(errors.elementwise, error / (reference.magnitudes[i] + 1e-12))
            squaredError += error * error
            squaredReference += reference.values[i] * reference.values[i]
        }
        errors.norm = (squaredError / max(squaredReference, 1e-300)).squareRoot()
        return errors
    }

    /// Runs `body` under `lowering`, restoring the process's setting afterwards.
    private static func with<R>(_ lowering: Conv3x3.Lowering, _ body: () throws -> R) rethrows -> R {
        let saved = Conv3x3.lowering
        defer { Conv3x3.lowering = saved }
        Conv3x3.lowering = lowering
        return try body()
    }

    private static func forwardErrors(
        _ lowering: Conv3x3.Lowering, conv: Conv3x3, input: Tensor, reference: (values: [Double], magnitudes: [Double])
    ) -> Errors {
        let output = Tensor(channels: conv.outputChannels, height: input.height, width: input.width)
        with(lowering) { conv.forward(input, into: output, workspace: Workspace()) }
        return errors(of: output, reference: reference)
    }

    /// Odd sizes, sizes that are not a multiple of either tile, one channel, and more than eight
    /// tiles per row (a full SIMD group and a partial one).
    func testForwardMatchesTheFloat64DefinitionOnRandomLayers() {
        let sizes = [(1, 1), (2, 2), (3, 5), (17, 9), (6, 21), (13, 37)]
        let channels = [(1, 1), (1, 3), (3, 64), (64, 3), (16, 24)]
        var worst: [Conv3x3.Lowering: Errors] = [:]
        var seed: UInt64 = 1
        for (height, width) in sizes {
            for (cin, cout) in channels {
                var random = SeededRandom(seed: seed)
                seed += 1
                let input = random.tensor(Shape(channels: cin, height: height, width: width))
                let weight = random.floats(cout * cin * 9), bias = random.floats(cout)
                let conv = Conv3x3(outputChannels: cout, inputChannels: cin, weight: weight, bias: bias)
                let reference = Conv3x3Tests.naive(input, weight: weight, bias: bias, outputChannels: cout)
                for lowering in [Conv3x3.Lowering.im2col] + Self.winogradLowerings {
                    let errors = Self.forwardErrors(lowering, conv: conv, input: input, reference: reference)
                    worst[lowering, default: Errors()].elementwise =
                        max(worst[lowering]?.elementwise ?? 0, errors.elementwise)
                    worst[lowering, default: Errors()].norm = max(worst[lowering]?.norm ?? 0, errors.norm)
                }
            }
        }
        for (lowering, errors) in worst.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print(String(format: "WinogradTests random layers, %@: worst element error %.2e, worst norm error %.2e",
                         lowering.rawValue, errors.elementwise, errors.norm))
        }
        XCTAssertLessThan(worst[.im2col]!.elementwise, 1e-6)
        XCTAssertLessThan(worst[.winograd]!.elementwise, 1e-5)
        XCTAssertLessThan(worst[.winograd]!.norm, 1e-6)
        XCTAssertLessThan(worst[.winograd4]!.elementwise, 1e-4)
        XCTAssertLessThan(worst[.winograd4]!.norm, 1e-5)
    }

    /// Many bands of tile rows (a tiny budget) give the same result as one band.
    func testForwardIsTheSameWhenTheImageIsSplitIntoManyBands() {
        var random = SeededRandom(seed: 41)
        let (cin, cout, height, width) = (5, 7, 23, 19)
        let input = random.tensor(Shape(channels: cin, height: height, width: width))
        let conv = Conv3x3(outputChannels: cout, inputChannels: cin,
                           weight: random.floats(cout * cin * 9), bias: random.floats(cout))
        let saved = Conv3x3.bandBudget
        defer { Conv3x3.bandBudget = saved }
        for lowering in Self.winogradLowerings {
            Self.with(lowering) {
                let whole = Tensor(channels: cout, height: height, width: width)
                let banded = Tensor(whole.shape)
                Conv3x3.bandBudget = 1 << 24
                conv.forward(input, into: whole, workspace: Workspace())
                Conv3x3.bandBudget = 1  // one tile row per band
                conv.forward(input, into: banded, workspace: Workspace())
                let difference = (0..<whole.count).map { abs(whole[flat: $0] - banded[flat: $0]) }.max()!
                XCTAssertLessThan(difference, 1e-5, "\(lowering)")
            }
        }
    }

    /// The backward pass against the Float64 adjoint of the definition: ∂L/∂x[i][y][x] =
    /// Σ w[o][i][ky][kx] · g[o][y−ky+1][x−kx+1].
    func testBackwardMatchesTheFloat64Adjoint() {
        var random = SeededRandom(seed: 17)
        let (cin, cout, height, width) = (24, 40, 11, 14)
        let weight = random.floats(cout * cin * 9)
        let conv = Conv3x3(outputChannels: cout, inputChannels: cin, weight: weight, bias: random.floats(cout))
        let upstream = random.tensor(Shape(channels: cout, height: height, width: width))
        let reference = Self.naiveInputGradient(upstream, weight: weight, inputChannels: cin)
        for lowering in [Conv3x3.Lowering.im2col] + Self.winogradLowerings {
            let gradient = Tensor(channels: cin, height: height, width: width)
            Self.with(lowering) { conv.backward(outputGradient: upstream, into: gradient, workspace: Workspace()) }
            let errors = Self.errors(of: gradient, reference: reference)
            print(String(format: "WinogradTests backward, %@: element error %.2e, norm error %.2e",
                         lowering.rawValue, errors.elementwise, errors.norm))
            XCTAssertLessThan(errors.elementwise, lowering == .winograd4 ? 1e-4 : 1e-5, "\(lowering)")
        }
    }

    /// Kernels transformed block by block of output channels (a tiny kernel budget), with many
    /// bands, against the Float64 definition forward and its adjoint backward: channel counts that
    /// are not multiples of the eight SIMD lanes, on both sides of the convolution.
    func testKernelsTransformedInBlocksMatchTheFloat64Definition() {
        var random = SeededRandom(seed: 43)
        let (cin, cout, height, width) = (13, 11, 10, 17)
        let weight = random.floats(cout * cin * 9), bias = random.floats(cout)
        let conv = Conv3x3(outputChannels: cout, inputChannels: cin, weight: weight, bias: bias)
        let input = random.tensor(Shape(channels: cin, height: height, width: width))
        let upstream = random.tensor(Shape(channels: cout, height: height, width: width))
        let reference = Conv3x3Tests.naive(input, weight: weight, bias: bias, outputChannels: cout)
        let gradientReference = Self.naiveInputGradient(upstream, weight: weight, inputChannels: cin)
        let saved = (Winograd.kernelBudget, Conv3x3.bandBudget)
        defer { (Winograd.kernelBudget, Conv3x3.bandBudget) = saved }
        for lowering in Self.winogradLowerings {
            for (kernelBudget, bandBudget) in [(1 << 24, 1 << 24), (1, 1 << 24), (1, 1), (5 * 36 * 13, 1)] {
                (Winograd.kernelBudget, Conv3x3.bandBudget) = (kernelBudget, bandBudget)
                let output = Tensor(channels: cout, height: height, width: width), gradient = Tensor(input.shape)
                Self.with(lowering) {
                    conv.forward(input, into: output, workspace: Workspace())
                    conv.backward(outputGradient: upstream, into: gradient, workspace: Workspace())
                }
                let label = "\(lowering), kernel budget \(kernelBudget), band budget \(bandBudget)"
                let tolerance = lowering == .winograd4 ? 1e-4 : 1e-5
                XCTAssertLessThan(Self.errors(of: output, reference: reference).elementwise, tolerance, label)
                XCTAssertLessThan(Self.errors(of: gradient, reference: gradientReference).elementwise, tolerance, label)
            }
        }
    }

    private static func naiveInputGradient(
        _ upstream: Tensor, weight: [Float], inputChannels cin: Int
    ) -> (values: [Double], magnitudes: [Double]) {
        let (cout, h, w) = (upstream.channels, upstream.height, upstream.width)
        var values = [Double](repeating: 0, count: cin * h * w), magnitudes = values
        for i in 0..<cin {
            for y in 0..<h {
                for x in 0..<w {
                    var sum = 0.0, magnitude = 0.0
                    for o in 0..<cout {
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let (sy, sx) = (y - ky + 1, x - kx + 1)
                                guard sy >= 0, sy < h, sx >= 0, sx < w else { continue }
                                let product =
                                    Double(weight[((o * cin + i) * 3 + ky) * 3 + kx]) * Double(upstream[o, sy, sx])
                                sum += product
                                magnitude += abs(product)
                            }
                        }
                    }
                    values[(i * h + y) * w + x] = sum
                    magnitudes[(i * h + y) * w + x] = magnitude
                }
            }
        }
        return (values, magnitudes)
    }

    /// The real VGG-16 layers conv1_2, conv2_1 and conv3_1 on an activation-like input (ReLU'd,
    /// mostly zero): forward and backward errors against the Float64 definition, F(2×2, 3×3)
    /// within a small factor of im2col's and F(4×4, 3×3) bounded.
    func testRealVGGLayersMatchTheFloat64Definition() throws {
        // A missing file fails here with its path (Scripts/setup fetches it); never skipped.
        let weights = try VGGWeights(contentsOf: WeightsLocation.resolve(explicit: nil))
        let layers = weights.convolutions.filter { $0.inputChannels >= 64 }.prefix(3)
        XCTAssertEqual(layers.map(\.inputChannels), [64, 64, 128])
        var random = SeededRandom(seed: 23)
        for (index, layer) in layers.enumerated() {
            let (cin, cout, side) = (layer.inputChannels, layer.outputChannels, 13)
            let input = Tensor(Shape(channels: cin, height: side, width: side),
                               values: random.floats(cin * side * side).map { max(0, $0) * 4 })
            let conv = Conv3x3(outputChannels: cout, inputChannels: cin, weight: layer.weight, bias: layer.bias)
            let reference = Conv3x3Tests.naive(input, weight: layer.weight, bias: layer.bias, outputChannels: cout)
            let upstream = random.tensor(Shape(channels: cout, height: side, width: side))
            let gradientReference = Self.naiveInputGradient(upstream, weight: layer.weight, inputChannels: cin)
            var forward: [Conv3x3.Lowering: Errors] = [:], backward: [Conv3x3.Lowering: Errors] = [:]
            for lowering in [Conv3x3.Lowering.im2col] + Self.winogradLowerings {
                forward[lowering] = Self.forwardErrors(lowering, conv: conv, input: input, reference: reference)
                let gradient = Tensor(input.shape)
                Self.with(lowering) { conv.backward(outputGradient: upstream, into: gradient, workspace: Workspace()) }
                backward[lowering] = Self.errors(of: gradient, reference: gradientReference)
                print(String(format: "WinogradTests VGG layer %d (%d→%d), %@: forward element %.2e norm %.2e, "
                                 + "backward element %.2e norm %.2e", index, cin, cout, lowering.rawValue,
                             forward[lowering]!.elementwise, forward[lowering]!.norm,
                             backward[lowering]!.elementwise, backward[lowering]!.norm))
            }
            for errors in [forward, backward] {
                XCTAssertLessThan(errors[.winograd]!.norm, 4 * errors[.im2col]!.norm + 1e-7, "layer \(index)")
                XCTAssertLessThan(errors[.winograd]!.elementwise, 1e-5, "layer \(index)")
                XCTAssertLessThan(errors[.winograd4]!.elementwise, 1e-4, "layer \(index)")
                XCTAssertLessThan(errors[.winograd4]!.norm, 1e-5, "layer \(index)")
            }
        }
    }

    /// A random Cin → Cout layer and a random Cin × side × side input.
    private static func randomLayer(seed: UInt64, cin: Int, cout: Int, side: Int) -> (Conv3x3, Tensor) {
        var random = SeededRandom(seed: seed)
        let input = random.tensor(Shape(channels: cin, height: side, width: side))
        let conv = Conv3x3(outputChannels: cout, inputChannels: cin,
                           weight: random.floats(cout * cin * 9), bias: random.floats(cout))
        return (conv, input)
    }

    /// The transforms split channels over the engine's threads; every element's arithmetic is
    /// the same whatever the split, so one thread and two give the same bits.
    func testOutputDoesNotDependOnTheThreadCount() {
        let (cout, side) = (48, 21)
        let (conv, input) = Self.randomLayer(seed: 3, cin: 32, cout: cout, side: side)
        let saved = Engine.threads
        defer { Engine.setThreads(saved) }
        for lowering in Self.winogradLowerings {
            var outputs: [[Float]] = []
            for threads in [1, 2] {
                Engine.setThreads(threads)
                let output = Tensor(channels: cout, height: side, width: side)
                Self.with(lowering) { conv.forward(input, into: output, workspace: Workspace()) }
                outputs.append(output.withUnsafeBufferPointer { Array($0) })
            }
            XCTAssertEqual(outputs[0], outputs[1], "\(lowering)")
        }
    }

    /// After one pass has sized the workspace, further passes allocate nothing.
    func testARepeatedPassAllocatesNothing() {
        let (cout, side) = (16, 30)
        let (conv, input) = Self.randomLayer(seed: 8, cin: 16, cout: cout, side: side)
        let output = Tensor(channels: cout, height: side, width: side), gradient = Tensor(input.shape)
        let workspace = Workspace()
        for lowering in Self.winogradLowerings {
            Self.with(lowering) {
                conv.forward(input, into: output, workspace: workspace)
                conv.backward(outputGradient: output, into: gradient, workspace: workspace)
                let before = Tensor.allocationCount
                conv.forward(input, into: output, workspace: workspace)
                conv.backward(outputGradient: output, into: gradient, workspace: workspace)
                XCTAssertEqual(Tensor.allocationCount, before, "\(lowering)")
            }
        }
    }
}
