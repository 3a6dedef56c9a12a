import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

/// The loss's nearest-neighbour field: labelled from the segmentation group, kept between
/// searches, and carried from the level below.
final class DeepSemanticLossFieldTests: XCTestCase {
    /// Delegates to the exact search and records the field each search started from.
    final class RecordingSearch: NearestPatchSearch {
        let exact: ExactPatchSearch
        var starts: [[Int32]] = []
        var grids: [PatchGrid] = []
        var results: [[Int32]] = []
        init(bank: Tensor) { exact = ExactPatchSearch(bank: bank) }
        func search(queries: Tensor, grid: PatchGrid, seed: UInt64, matches: inout [Int32], scores: inout [Float]) {
            starts.append(matches)
            grids.append(grid)
            exact.search(queries: queries, grid: grid, seed: seed, matches: &matches, scores: &scores)
            results.append(matches)
        }
    }

    /// Two labels as a one-hot group: label 1 where `isOne(y, x)`.
    private func segmentation(height: Int, width: Int, _ isOne: (Int, Int) -> Bool) -> Tensor {
        let map = Tensor(channels: 2, height: height, width: width)
        for y in 0..<height {
            for x in 0..<width { map[isOne(y, x) ? 1 : 0, y, x] = 1 }
        }
        return map
    }

    func testTheApproximateSearchInTheLossKeepsEachPatchInItsRegion() {
        var random = SeededRandom(seed: 95)
        let style = random.tensor(Shape(channels: 6, height: 20, width: 22))
        let image = random.tensor(Shape(channels: 6, height: 14, width: 12))
        let styleSegmentation = segmentation(height: 20, width: 22) { y, _ in y >= 10 }
        let imageSegmentation = segmentation(height: 14, width: 12) { _, x in x >= 6 }
        let light = random.tensor(Shape(channels: 2, height: 20, width: 22), in: 0...1)
        let imageLight = random.tensor(Shape(channels: 2, height: 14, width: 12), in: 0...1)
        // Illumination first, segmentation second: the group's index, not its position, says which.
        let bank = StylePatchBank(styleFeatures: style, styleSemantics: [light, styleSegmentation], segmentationGroup: 1) {
            keys, grid in ApproximatePatchSearch(bank: keys, grid: grid, seed: 1)
        }
        // A weak segmentation weight: the score alone would often cross regions.
        let loss = DeepSemanticLoss(bank: bank, semanticWeights: [0.5, 0.05], seed: 3)
        let gradient = Tensor(image.shape)
        _ = loss.evaluate(features: image, semantics: [imageLight, imageSegmentation], gradient: gradient)
        XCTAssertEqual(loss.grid.labels, PatchGrid(map: image.shape, segmentation: imageSegmentation).labels)
        let styleLabels = bank.grid.labels ?? []
        XCTAssertEqual(styleLabels.count, bank.count)
        for (p, match) in loss.matches.enumerated() {
            XCTAssertEqual(styleLabels[Int(match)], loss.grid.labels![p], "patch \(p)")
        }
    }

    func testTheFirstSearchStartsFromTheCoarserLevelsFieldCarriedOver() {
        var random = SeededRandom(seed: 96)
        func loss(style: Tensor) -> (DeepSemanticLoss, RecordingSearch) {
            var recorder: RecordingSearch?
            let bank = StylePatchBank(styleFeatures: style, styleSemantics: []) { keys, _ in
                let search = RecordingSearch(bank: keys)
                recorder = search
                return search
            }
            return (DeepSemanticLoss(bank: bank, semanticWeights: []), recorder!)
        }
        let (coarse, _) = loss(style: random.tensor(Shape(channels: 3, height: 8, width: 9)))
        let coarseImage = random.tensor(Shape(channels: 3, height: 6, width: 7))
        _ = coarse.evaluate(features: coarseImage, semantics: [], gradient: Tensor(coarseImage.shape))

        let (fine, recorder) = loss(style: random.tensor(Shape(channels: 3, height: 14, width: 16)))
        let fineImage = random.tensor(Shape(channels: 3, height: 10, width: 12))
        fine.continueField(from: coarse)
        let gradient = Tensor(fineImage.shape)
        _ = fine.evaluate(features: fineImage, semantics: [], gradient: gradient)
        _ = fine.evaluate(features: fineImage, semantics: [], gradient: gradient)
        let expected = PatchGrid.carry(coarse.matches, from: (coarse.grid, coarse.bank.grid),
                                       to: (PatchGrid(map: fineImage.shape), fine.bank.grid))
        XCTAssertEqual(recorder.starts.count, 2)
        XCTAssertEqual(recorder.starts[0], expected, "the first search starts from the carried field")
        XCTAssertNotEqual(Set(expected).count, 1, "a field with some structure")
        XCTAssertEqual(recorder.starts[1], recorder.results[0], "later searches start from the previous one's field")
        XCTAssertEqual(recorder.grids[0], PatchGrid(map: fineImage.shape))
    }
}
