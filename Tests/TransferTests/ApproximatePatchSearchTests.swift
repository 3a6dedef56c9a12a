import ImageIO
import Network
import Semantics
import TestSupport
import XCTest

@testable import Tensor
@testable import Transfer

/// The approximate search against the exact one: the same answer where it is unique and
/// reachable, never a match of another region, the same result for the same seed whatever the
/// thread count, and a measured recall on real VGG features.
final class ApproximatePatchSearchTests: XCTestCase {
    /// The keys (features only) and grid of every valid 3×3 patch of a C×H×W map.
    private func keys(of map: Tensor, labels: [Int32]? = nil) -> (Tensor, PatchGrid) {
        let patches = Tensor(Patches.shape(for: map.shape))
        Patches.extract(map, into: patches)
        let keys = Tensor(patches.shape)
        PatchKeys.build(featurePatches: patches, semanticPatches: [], weights: [], into: keys)
        return (keys, PatchGrid(rows: map.height - 2, columns: map.width - 2, labels: labels))
    }

    /// Both ways of screening candidates, each forced (the automatic choice screens every
    /// patch of these small banks, so the sweeps would otherwise go untested).
    private static let screenings = ApproximatePatchSearch.Screening.allCases.filter { $0 != .automatic }.map {
        var parameters = ApproximatePatchSearch.Parameters()
        parameters.screening = $0
        return parameters
    }

    private func run(
        _ search: NearestPatchSearch, _ queries: Tensor, _ grid: PatchGrid, seed: UInt64 = 1, from start: [Int32] = []
    )
        -> (matches: [Int32], scores: [Float])
    {
        var matches = start, scores: [Float] = []
        search.search(queries: queries, grid: grid, seed: seed, matches: &matches, scores: &scores)
        return (matches, scores)
    }

    /// The image is a noisy crop of the style: each image patch's best match is the style patch
    /// it was cut from (unique: random features), and propagation can reach it from anywhere.
    func testFindsTheExactAnswerWhereItIsUniqueAndReachable() {
        var random = SeededRandom(seed: 91)
        let style = random.tensor(Shape(channels: 16, height: 30, width: 34))  // D = 144 > the projection's 64
        let (top, left) = (7, 5)
        let image = Tensor(channels: 16, height: 18, width: 20)
        for c in 0..<16 {
            for y in 0..<18 {
                for x in 0..<20 { image[c, y, x] = style[c, y + top, x + left] + 0.05 * random.float() }
            }
        }
        let (bank, bankGrid) = keys(of: style), (queries, grid) = keys(of: image)
        let exact = run(ExactPatchSearch(bank: bank), queries, grid)
        let expected = (0..<grid.count).map { (p: Int) -> Int32 in
            let (y, x) = p.quotientAndRemainder(dividingBy: grid.columns)
            return Int32((y + top) * bankGrid.columns + x + left)
        }
        XCTAssertEqual(exact.matches, expected, "the exact answer is the crop's origin")
        for screening in Self.screenings {
            for seed: UInt64 in [1, 2, 3] {
                let search = ApproximatePatchSearch(bank: bank, grid: bankGrid, parameters: screening, seed: seed)
                let approximate = run(search, queries, grid)
                XCTAssertEqual(approximate.matches, expected, "\(screening.screening), seed \(seed)")
                for p in 0..<grid.count { XCTAssertEqual(approximate.scores[p], exact.scores[p], accuracy: 1e-4) }
            }
        }
    }

    func testNeverMatchesAPatchOfAnotherLabel() {
        var random = SeededRandom(seed: 92)
        let style = random.tensor(Shape(channels: 8, height: 24, width: 26))
        let image = random.tensor(Shape(channels: 8, height: 14, width: 16))
        // Style: three vertical stripes of labels; image: labels in blocks, one (7) absent from the style.
        let bankLabels: [Int32] = (0..<(22 * 24)).map { (c: Int) -> Int32 in Int32((c % 24) / 8) }
        let queryLabels: [Int32] = (0..<(12 * 14)).map { (p: Int) -> Int32 in
            let (y, x) = p.quotientAndRemainder(dividingBy: 14)
            return y < 4 ? 7 : Int32(x / 5)
        }
        let (bank, bankGrid) = keys(of: style, labels: bankLabels)
        let (queries, grid) = keys(of: image, labels: queryLabels)
        // From a random field, then from a field whose every match has the wrong label.
        let wrong: [Int32] = queryLabels.map { (label: Int32) -> Int32 in
            Int32(bankLabels.firstIndex { (other: Int32) -> Bool in other != label } ?? 0)
        }
        for parameters in Self.screenings {
            let search = ApproximatePatchSearch(bank: bank, grid: bankGrid, parameters: parameters, seed: 5)
            for start in [[], wrong] {
                let result = run(search, queries, grid, from: start)
                for p in 0..<grid.count where queryLabels[p] != 7 {
                    XCTAssertEqual(bankLabels[Int(result.matches[p])], queryLabels[p], "\(parameters.screening), patch \(p)")
                }
                // A label the style lacks may match anything; every match is a real style patch.
                XCTAssertTrue(result.matches.allSatisfy { $0 >= 0 && Int($0) < bankGrid.count })
            }
        }
    }

    func testTheSameSeedGivesTheSameFieldWhateverTheThreadCount() {
        var random = SeededRandom(seed: 93)
        let style = random.tensor(Shape(channels: 12, height: 40, width: 36))
        let image = random.tensor(Shape(channels: 12, height: 30, width: 28))  // 4 bands of 8 rows
        let (bank, bankGrid) = keys(of: style), (queries, grid) = keys(of: image)
        let threads = Engine.threads
        defer { Engine.setThreads(threads) }
        for parameters in Self.screenings {
            var results: [[Int32]] = []
            var scores: [[Float]] = []
            for count in [1, 2, 3] {
                Engine.setThreads(count)
                let search = ApproximatePatchSearch(bank: bank, grid: bankGrid, parameters: parameters, seed: 11)
                let cold = run(search, queries, grid, seed: 11)
                let warm = run(search, queries, grid, seed: 12, from: cold.matches)
                // The search keeps no state between calls: the same call again, the same answer.
                XCTAssertEqual(run(search, queries, grid, seed: 11).matches, cold.matches)
                results.append(cold.matches + warm.matches)
                scores.append(cold.scores + warm.scores)
            }
            let name = parameters.screening.rawValue
            XCTAssertEqual(results[0], results[1], name)
            XCTAssertEqual(results[0], results[2], name)
            XCTAssertEqual(scores[0], scores[1], name)
            XCTAssertEqual(scores[0], scores[2], name)
            guard parameters.screening == .sweeps else { continue }
            let search = ApproximatePatchSearch(bank: bank, grid: bankGrid, parameters: parameters, seed: 11)
            let other = run(search, queries, grid, seed: 13)
            XCTAssertNotEqual(other.matches, Array(results[0].prefix(grid.count)), "another seed, another random start")
        }
    }

    /// The automatic choice: exhaustive screening where the bench measured it cheaper (a search
    /// from a random field over a 512² bank of either layer), sweeps from a given field over a
    /// large bank and always over a gigapixel level's bank, whose exhaustive cost would grow
    /// with its size.
    func testTheAutomaticScreeningSweepsLargeBanksAndScreensSmallOnesWhole() {
        let parameters = ApproximatePatchSearch.Parameters()
        func choice(side: Int, warm: Bool) -> Bool {
            ApproximatePatchSearch.prefersExhaustive(
                bankCount: side * side, bankSide: side, passes: warm ? parameters.warmPasses : parameters.passes,
                candidates: parameters.candidates)
        }
        XCTAssertTrue(choice(side: 126, warm: false), "relu3_1 of a 512² style, from a random field")
        XCTAssertTrue(choice(side: 62, warm: false), "relu4_1 of a 512² style, from a random field")
        XCTAssertFalse(choice(side: 126, warm: true), "relu3_1 of a 512² style, from a field")
        XCTAssertFalse(choice(side: 512, warm: false), "relu3_1 of a 2048² style (gigapixel), from a random field")
        XCTAssertTrue(choice(side: 20, warm: true), "a 20×20 bank, from a field")
    }

    /// A search from a field never ends with a worse match than the one it was given.
    func testASearchFromAFieldNeverWorsensIt() {
        var random = SeededRandom(seed: 94)
        let style = random.tensor(Shape(channels: 20, height: 22, width: 22))
        let image = random.tensor(Shape(channels: 20, height: 12, width: 13))
        let (bank, bankGrid) = keys(of: style), (queries, grid) = keys(of: image)
        let exact = run(ExactPatchSearch(bank: bank), queries, grid)
        for var parameters in Self.screenings {
            parameters.candidates = 1
            parameters.dimension = 4  // a poor screen, that alone would lose the exact matches
            let warm = run(ApproximatePatchSearch(bank: bank, grid: bankGrid, parameters: parameters, seed: 3),
                           queries, grid, from: exact.matches)
            XCTAssertEqual(warm.matches, exact.matches, parameters.screening.rawValue)
        }
    }

    /// Real VGG-16 features of a photo and a painting at 128²: the approximate search from a
    /// random field, either way of screening, scores within 1% of the exact best for at least
    /// 90% of the patches.
    func testRecallAgainstTheExactSearchOnRealFeatures() throws {
        let vgg = try RealVGG.load(pooling: .average)
        func image(_ name: String) throws -> Tensor {
            let path = Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
            let full = try ImageFile.open(path).readAll().rgbTensor()
            let small = Tensor(channels: 3, height: 128, width: 128)
            Resample.forward(full, into: small, kind: .area)
            return small
        }
        let content = try vgg.forward(try image("chelsea.png"), layers: ["relu3_1", "relu4_1"])
            .mapValues { $0.clone() }
        let style = try vgg.forward(try image("starry_night.png"), layers: ["relu3_1", "relu4_1"])
        for layer in ["relu3_1", "relu4_1"] {
            let (bank, bankGrid) = keys(of: style[layer]!), (queries, grid) = keys(of: content[layer]!)
            let exact = run(ExactPatchSearch(bank: bank), queries, grid)
            for parameters in Self.screenings {
                let search = ApproximatePatchSearch(bank: bank, grid: bankGrid, parameters: parameters, seed: 1)
                let approximate = run(search, queries, grid)
                let recall = SearchRecall(exact: exact, approximate: approximate)
                let name = "\(layer), \(parameters.screening)"
                print(String(format: "ApproximatePatchSearchTests.recall %@: within 1%% %.3f, identical %.3f", name,
                             recall.withinOnePercent, recall.identical))
                XCTAssertGreaterThanOrEqual(recall.withinOnePercent, 0.9, name)
                for p in 0..<grid.count { XCTAssertLessThanOrEqual(approximate.scores[p], exact.scores[p] + 1e-4) }
            }
        }
    }
}
