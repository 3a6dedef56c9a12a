import Evaluation
import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Transfer

/// The colour finish of a streamed output: a change worked out on an overview and enlarged to
/// each tile.
final class ColourFinishFieldTests: XCTestCase {
    /// A photo-like image: smooth gradients with a little texture, in muted colours.
    private func picture(height: Int, width: Int, seed: UInt64 = 4) -> Tensor {
        var random = SplitMix64(seed: seed)
        let image = Tensor(Shape(channels: 3, height: height, width: width))
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) / Float(width), v = Float(y) / Float(height)
                let base: SIMD3<Float> = [0.3 + 0.4 * u, 0.5 - 0.2 * v, 0.4 + 0.2 * u * v]
                for c in 0..<3 { image[c, y, x] = min(max(base[c] + 0.05 * Float(random.nextNormal()), 0), 1) }
            }
        }
        return image
    }

    /// A painting-like palette: deep blues and a yellow.
    private func painting() -> Tensor {
        var random = SplitMix64(seed: 5)
        let style = Tensor(Shape(channels: 3, height: 48, width: 64))
        for y in 0..<48 {
            for x in 0..<64 {
                let colour: SIMD3<Float> = (x + y) % 5 == 0 ? [0.9, 0.8, 0.2] : [0.1, 0.2, 0.6]
                for c in 0..<3 { style[c, y, x] = min(max(colour[c] + 0.05 * Float(random.nextNormal()), 0), 1) }
            }
        }
        return style
    }

    /// The exact in-memory finish of `image` over the whole image: transport, then the guided
    /// smoothing of the change, guided by `content`.
    private func exactFinish(_ image: Tensor, content: Tensor, style: Tensor) -> Tensor {
        let transported = PaletteTransfer.matchDistributions(content: image, style: style, labels: nil, seed: 0)
        return DisplacementSmoothing.apply(
            image: image, finished: transported, guide: DisplacementSmoothing.guide(content), labels: nil, count: 1,
            radius: DisplacementSmoothing.radius(height: image.height, width: image.width))
    }

    private func crop(_ image: Tensor, _ rect: PixelRect) -> Tensor {
        let out = Tensor(Shape(channels: image.channels, height: rect.height, width: rect.width))
        for c in 0..<image.channels {
            for y in 0..<rect.height {
                for x in 0..<rect.width { out[c, y, x] = image[c, rect.y + y, rect.x + x] }
            }
        }
        return out
    }

    /// With an overview that is the image itself, the field is exactly the in-memory finish.
    func testAnOverviewOfFactorOneIsTheInMemoryFinish() {
        let image = picture(height: 40, width: 56), content = picture(height: 40, width: 56, seed: 7)
        let style = painting()
        let field = ColourFinishField(overview: image, content: content, factor: 1, style: style, strength: 1, seed: 0)
        let streamed = field.apply(to: image, content: content, at: PixelRect(x: 0, y: 0, width: 56, height: 40))
        XCTAssertEqual(streamed.array, exactFinish(image, content: content, style: style).array)
    }

    /// A sample photo and painting from `Examples/`, the photo at `width`×`height`.
    private func example(_ name: String, width: Int, height: Int) throws -> Tensor {
        let path = Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
        let full = try ImageFile.open(path).readAll().rgbTensor()
        let image = Tensor(channels: 3, height: height, width: width)
        Resample.forward(full, into: image, kind: .area)
        return image
    }

    /// On a real photo and painting (the cat as Starry Night), with an overview a quarter the
    /// size, tile by tile: the finish stays within a small difference of the exact one and takes
    /// the painting's palette as closely; tiles agree with the whole at their seams (the
    /// enlargement depends only on each pixel's position).
    func testAQuarterOverviewFinishesTileByTileCloseToTheExactFinish() throws {
        let height = 300, width = 448, factor = 4
        let image = try example("chelsea.png", width: width, height: height)
        let style = try example("starry_night.png", width: 256, height: 160)
        let overview = Tensor(Shape(channels: 3, height: height / factor, width: width / factor))
        Resample.forward(image, into: overview, kind: .area)
        // The picture stands for both the output and the content it was painted from.
        let field = ColourFinishField(
            overview: overview, content: overview, factor: factor, style: style, strength: 1, seed: 0)
        let whole = field.apply(to: image, content: image, at: PixelRect(x: 0, y: 0, width: width, height: height))
        for rect in [PixelRect(x: 0, y: 0, width: 100, height: 70), PixelRect(x: 100, y: 70, width: 348, height: 230)] {
            let tile = crop(image, rect)
            XCTAssertEqual(field.apply(to: tile, content: tile, at: rect).array, crop(whole, rect).array, "\(rect)")
        }
        let exact = exactFinish(image, content: image, style: style)
        var difference = 0.0
        for i in 0..<exact.count { difference += Double(abs(exact[flat: i] - whole[flat: i])) }
        difference /= Double(exact.count)
        XCTAssertLessThan(difference, 0.03, "mean difference from the exact finish")

        let before = ColourDistance.global(output: image, painting: style)
        let exactDistance = ColourDistance.global(output: exact, painting: style)
        let streamedDistance = ColourDistance.global(output: whole, painting: style)
        XCTAssertLessThan(exactDistance, 0.5 * before, "the exact finish moves the palette")
        XCTAssertLessThan(streamedDistance, 1.2 * exactDistance, "the streamed finish reaches the painting's palette")
        print("colour: photo \(before), exact finish \(exactDistance), on a quarter overview \(streamedDistance);"
              + " mean difference \(difference)")
    }

    /// The factor brings the long side to at most the overview side.
    func testTheOverviewFactorBoundsTheLongSide() {
        XCTAssertEqual(ColourFinishField.overviewFactor(width: 800, height: 600), 1)
        XCTAssertEqual(ColourFinishField.overviewFactor(width: 1025, height: 10), 2)
        XCTAssertEqual(ColourFinishField.overviewFactor(width: 5000, height: 32768), 32)
        for side in [1000, 4097, 32768, 65536] {
            let factor = ColourFinishField.overviewFactor(width: side, height: side / 3)
            XCTAssertLessThanOrEqual((side + factor - 1) / factor, 1024)
        }
    }
}
