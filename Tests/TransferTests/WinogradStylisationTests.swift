import ImageIO
import Semantics
import Tensor
import TestSupport
import Transfer
import XCTest

/// A stylisation under the Winograd lowerings against the same stylisation under im2col. Their
/// rounding differs, so the outputs differ; the bar is the optimisation's own noise: the
/// difference between two im2col runs that differ only in the search's seed.
final class WinogradStylisationTests: XCTestCase {
    static let width = 64, height = 48

    private static func example(_ name: String, width: Int, height: Int) throws -> Tensor {
        let path = Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
        let full = try ImageFile.open(path).readAll().rgbTensor()
        let image = Tensor(channels: 3, height: height, width: width)
        Resample.forward(full, into: image, kind: .area)
        return image
    }

    /// Mean |a − b| over all samples, in 0…1 pixel units.
    private static func meanDifference(_ a: Tensor, _ b: Tensor) -> Double {
        (0..<a.count).reduce(0.0) { $0 + Double(abs(a[flat: $1] - b[flat: $1])) } / Double(a.count)
    }

    func testAStylisationDiffersFromIm2ColsOnlyWithinTheOptimisationsOwnNoise() throws {
        let content = try Self.example("chelsea.png", width: Self.width, height: Self.height)
        let style = try Self.example("starry_night.png", width: Self.width, height: Self.height)
        let space = try DeepSemanticSpace(content: content, style: style)
        var settings = TransferSettings.lossAlone
        settings.coarseSize = Self.width
        settings.iterations = [40]
        let vgg = try RealVGG.load(pooling: settings.pooling)
        let saved = Conv3x3.lowering
        defer { Conv3x3.lowering = saved }
        func stylise(_ lowering: Conv3x3.Lowering?, seed: UInt64) throws -> Tensor {
            Conv3x3.lowering = lowering
            settings.seed = seed
            let name = "winograd-\(lowering?.rawValue ?? "default")-seed\(seed)"
            return try StylizerRun.run(
                content: content, style: style, space: space, settings: settings, vgg: vgg, name: name)
        }
        let reference = try stylise(.im2col, seed: 0)
        let noise = Self.meanDifference(reference, try stylise(.im2col, seed: 1))
        XCTAssertGreaterThan(noise, 0, "two seeds gave the same image: the bar would prove nothing")
        var lines = [String(format: "im2col seed 0 vs seed 1: %.5f", noise)]
        for lowering in [Conv3x3.Lowering.winograd, .winograd4, nil] {
            let difference = Self.meanDifference(reference, try stylise(lowering, seed: 0))
            lines.append(String(format: "im2col vs %@ (seed 0): %.5f", lowering?.rawValue ?? "default", difference))
            XCTAssertLessThanOrEqual(difference, noise, lines.last!)
        }
        print("WinogradStylisationTests: mean |difference| per sample, " + lines.joined(separator: "; "))
    }
}
