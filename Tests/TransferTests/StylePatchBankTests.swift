import Tensor
import TestSupport
@testable import Transfer
import XCTest

final class StylePatchBankTests: XCTestCase {
    /// The bank makes its keys by bands of patch rows and reads its targets from the feature map:
    /// both are the bits of the patch matrix of the whole map (several bands and a partial one).
    func testKeysAndTargetsAreThoseOfTheWholeMapsPatches() {
        var random = SeededRandom(seed: 23)
        let height = 2 * PatchKeys.bandRows + 9
        let features = random.tensor(Shape(channels: 5, height: height, width: 23), in: 0...2)
        let regions = random.tensor(Shape(channels: 3, height: height, width: 23), in: 0...1)
        let light = random.tensor(Shape(channels: 2, height: height, width: 23), in: 0...1)
        let bank = StylePatchBank(styleFeatures: features, styleSemantics: [regions, light])

        let patches = [features, regions, light].map { map -> Tensor in
            let patches = Tensor(Patches.shape(for: map.shape))
            Patches.extract(map, into: patches)
            return patches
        }
        let keys = Tensor(Shape(channels: 1, height: patches[0].height, width: patches.reduce(0) { $0 + $1.width }))
        PatchKeys.build(
            featurePatches: patches[0], semanticPatches: [patches[1], patches[2]], weights: [1, 1], into: keys)
        XCTAssertEqual(bank.keys.shape, keys.shape)
        XCTAssertEqual(bank.keys.array, keys.array)

        XCTAssertEqual(bank.count, patches[0].height)
    }

    /// The loss reads the matched patches from the feature maps and adds its gradient onto the
    /// map directly; its value, gradient and matches are those of the patch matrices (the loss as
    /// it was first written: image and style patch matrices, a patch gradient matrix and
    /// `Patches.backward`), bit for bit.
    func testLossAndGradientAreThoseOfThePatchMatrices() {
        var random = SeededRandom(seed: 31)
        let height = 2 * PatchKeys.bandRows + 5
        let style = random.tensor(Shape(channels: 6, height: 11, width: 14), in: 0...2)
        let styleGroups = [random.tensor(Shape(channels: 3, height: 11, width: 14), in: 0...1),
                           random.tensor(Shape(channels: 2, height: 11, width: 14), in: 0...1)]
        let image = random.tensor(Shape(channels: 6, height: height, width: 13), in: 0...2)
        let imageGroups = [random.tensor(Shape(channels: 3, height: height, width: 13), in: 0...1),
                           random.tensor(Shape(channels: 2, height: height, width: 13), in: 0...1)]
        let weights: [Float] = [0.7, 0.3]
        let loss = DeepSemanticLoss(styleFeatures: style, styleSemantics: styleGroups, semanticWeights: weights)
        let gradient = Tensor(image.shape)
        let value = loss.evaluate(features: image, semantics: imageGroups, gradient: gradient)

        func patches(_ map: Tensor) -> Tensor {
            let patches = Tensor(Patches.shape(for: map.shape))
            Patches.extract(map, into: patches)
            return patches
        }
        let (styleFeatures, imageFeatures) = (patches(style), patches(image))
        let styleKeys = Tensor(Shape(channels: 1, height: styleFeatures.height, width: loss.bank.keys.width))
        PatchKeys.build(featurePatches: styleFeatures, semanticPatches: styleGroups.map(patches), weights: [1, 1],
                        into: styleKeys)
        let queries = Tensor(Shape(channels: 1, height: imageFeatures.height, width: styleKeys.width))
        PatchKeys.build(featurePatches: imageFeatures, semanticPatches: imageGroups.map(patches), weights: weights,
                        into: queries)
        var matches: [Int32] = [], scores: [Float] = []
        ExactPatchSearch(bank: styleKeys).search(
            queries: queries, grid: PatchGrid(rows: height - 2, columns: 11), seed: 0, matches: &matches,
            scores: &scores)
        XCTAssertEqual(loss.matches, matches)

        let (count, length) = (imageFeatures.height, imageFeatures.width)
        let scale = 2 / (Float(count) * Float(length))
        let patchGradient = Tensor(imageFeatures.shape)
        var sum = 0.0
        for p in 0..<count {
            var patchSum: Float = 0
            for i in 0..<length {
                let d = imageFeatures[flat: p * length + i] - styleFeatures[flat: Int(matches[p]) * length + i]
                patchSum += d * d
                patchGradient[flat: p * length + i] = scale * d
            }
            sum += Double(patchSum)
        }
        let expected = Tensor(image.shape)
        Patches.backward(patchesGradient: patchGradient, into: expected)
        XCTAssertEqual(value, sum / (Double(count) * Double(length)))
        XCTAssertEqual(gradient.array, expected.array)
    }

    /// The bank keeps a copy of the style's features: writing the caller's map afterwards
    /// changes no target.
    func testTheBankKeepsItsOwnCopyOfTheFeatures() {
        var random = SeededRandom(seed: 29)
        let features = random.tensor(Shape(channels: 2, height: 6, width: 7))
        let before = features.array
        let bank = StylePatchBank(styleFeatures: features, styleSemantics: [])
        features.fill(0)
        XCTAssertEqual(bank.features.array, before)
    }
}
