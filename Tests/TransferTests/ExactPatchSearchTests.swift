import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

final class ExactPatchSearchTests: XCTestCase {
    func testMatchesABruteForceLoopWhateverTheBlocking() {
        var random = SeededRandom(seed: 81)
        let (queries, bankCount, length) = (37, 53, 19)
        let query = random.tensor(Shape(channels: 1, height: queries, width: length))
        let bank = random.tensor(Shape(channels: 1, height: bankCount, width: length))
        var expected = [Int](repeating: 0, count: queries)
        var expectedScores = [Double](repeating: 0, count: queries)
        for q in 0..<queries {
            var best = -Double.infinity
            for b in 0..<bankCount {
                var score = 0.0
                for i in 0..<length { score += Double(query[0, q, i]) * Double(bank[0, b, i]) }
                if score > best { best = score; expected[q] = b }
            }
            expectedScores[q] = best
        }
        for (queryBlock, bankBlock) in [(256, 4096), (7, 5), (1, 1), (37, 53)] {
            let search = ExactPatchSearch(bank: bank, queryBlock: queryBlock, bankBlock: bankBlock)
            var matches: [Int32] = [], scores: [Float] = []
            search.search(queries: query, grid: PatchGrid(rows: 1, columns: queries), seed: 0, matches: &matches, scores: &scores)
            XCTAssertEqual(matches.map(Int.init), expected, "blocks \(queryBlock)×\(bankBlock)")
            for q in 0..<queries { XCTAssertEqual(Double(scores[q]), expectedScores[q], accuracy: 1e-4) }
        }
    }

    func testKeyDotProductIsCosineOfFeaturesPlusWeightedCosinesOfSemanticGroups() {
        var random = SeededRandom(seed: 82)
        let features = random.tensor(Shape(channels: 1, height: 2, width: 18))
        let semantics = random.tensor(Shape(channels: 1, height: 2, width: 9), in: 0...1)
        let light = random.tensor(Shape(channels: 1, height: 2, width: 18), in: 0...1)
        let (weight, lightWeight): (Float, Float) = (3, 0.5)
        let queryKeys = Tensor(Shape(channels: 1, height: 2, width: 45))
        let styleKeys = Tensor(Shape(channels: 1, height: 2, width: 45))
        PatchKeys.build(featurePatches: features, semanticPatches: [semantics, light], weights: [weight, lightWeight],
                        into: queryKeys)
        PatchKeys.build(featurePatches: features, semanticPatches: [semantics, light], weights: [1, 1], into: styleKeys)
        func cosine(_ t: Tensor, _ a: Int, _ b: Int) -> Double {
            var ab = 0.0, aa = 0.0, bb = 0.0
            for i in 0..<t.width {
                let x = Double(t[0, a, i]), y = Double(t[0, b, i])
                ab += x * y; aa += x * x; bb += y * y
            }
            return ab / (aa * bb).squareRoot()
        }
        var score = 0.0
        for i in 0..<45 { score += Double(queryKeys[0, 0, i]) * Double(styleKeys[0, 1, i]) }
        let expected = cosine(features, 0, 1) + Double(weight) * cosine(semantics, 0, 1)
            + Double(lightWeight) * cosine(light, 0, 1)
        XCTAssertEqual(score, expected, accuracy: 1e-5)
    }

    func testAllZeroPatchGetsAZeroKeyInsteadOfNaN() {
        let features = Tensor(Shape(channels: 1, height: 1, width: 9))
        let keys = Tensor(Shape(channels: 1, height: 1, width: 9))
        PatchKeys.build(featurePatches: features, semanticPatches: [], weights: [], into: keys)
        XCTAssertEqual(keys.array, [Float](repeating: 0, count: 9))
    }
}
