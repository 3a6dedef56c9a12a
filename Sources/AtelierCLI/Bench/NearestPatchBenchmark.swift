import Foundation
import Network
import Tensor
import Transfer

/// `atelier bench nn`: the nearest-patch searches on real VGG features of a photo and a
/// painting. The exact search's rate is reported as a ratio of the SGEMM rate of the same
/// process; the approximate search by its time, its speed-up over the exact one and its recall
/// against it (DESIGN.md §8).
struct NearestPatchBenchmark {
    struct Case: Codable {
        var layer: String
        var size: Int
        /// Query patches, style patches, and the key length D.
        var queries: Int
        var bank: Int
        var key_length: Int
        var exact_seconds: Double
        var exact_seconds_min: Double
        var exact_seconds_max: Double
        var exact_gflops: Double
        /// `exact_gflops` over `sgemm_gflops`; `exact_paired_ratio` over an SGEMM timed alternately with it.
        var exact_ratio: Double
        var exact_paired_ratio: Double
        /// A search from a random field (the first iteration of a level without a carried field).
        var approx_seconds: Double
        var approx_seconds_min: Double
        var approx_seconds_max: Double
        /// Building the search once per level: the projection basis and the projected style keys.
        var approx_build_seconds: Double
        /// A search from the previous search's field (every later iteration).
        var approx_warm_seconds: Double
        /// How the approximate search screened its candidates from a random field and from a given one.
        var screening: String
        var warm_screening: String
        var speedup: Double
        var warm_speedup: Double
        /// Against the exact search, for the search from a random field and for the warm one.
        var recall_within_1pct: Double
        var recall_exact: Double
        var warm_recall_within_1pct: Double
        var warm_recall_exact: Double
    }

    struct Report: Codable {
        var threads: Int
        var repeats: Int
        var content: String
        var style: String
        var sgemm_size: Int
        var sgemm_gflops: Double
        var cases: [Case]
    }

    var content: Tensor
    var style: Tensor
    var contentName: String
    var styleName: String
    var vgg: VGG
    var layers: [String]
    var sizes: [Int]
    var repeats: Int
    var sgemmSize: Int
    var parameters = ApproximatePatchSearch.Parameters()
    var log: (String) -> Void

    func run() throws -> Report {
        let reference = ReferenceSGEMM(size: sgemmSize)
        let sgemmRate = reference.rate(reference.measure(repeats: repeats))
        log(String(format: "SGEMM %d³: %.1f GFLOP/s", sgemmSize, sgemmRate))
        var cases: [Case] = []
        for size in sizes {
            let contentKeys = try keys(of: content, size: size)
            let styleKeys = try keys(of: style, size: size)
            for layer in layers {
                let (queries, queryGrid) = contentKeys[layer]!, (bank, bankGrid) = styleKeys[layer]!
                let result = measure(queries: queries, grid: queryGrid, bank: bank, bankGrid: bankGrid,
                                     reference: reference, sgemmRate: sgemmRate, layer: layer, size: size)
                log(String(format: "%@ @%d² (%d × %d patches, D %d): exact %.3f s, %.1f GFLOP/s (%.2f of SGEMM); "
                               + "approximate %.3f s (×%.1f), warm %.3f s (×%.1f), build %.3f s; "
                               + "recall within 1%% %.3f, identical %.3f (warm %.3f, %.3f)",
                           layer, size, result.queries, result.bank, result.key_length, result.exact_seconds,
                           result.exact_gflops, result.exact_ratio, result.approx_seconds, result.speedup,
                           result.approx_warm_seconds, result.warm_speedup, result.approx_build_seconds,
                           result.recall_within_1pct, result.recall_exact, result.warm_recall_within_1pct,
                           result.warm_recall_exact))
                cases.append(result)
            }
        }
        return Report(threads: Engine.threads, repeats: repeats, content: contentName, style: styleName,
                      sgemm_size: sgemmSize, sgemm_gflops: sgemmRate, cases: cases)
    }

    /// The keys (features only, as in `mrf` mode) and grid of every layer's patches of `image`
    /// resized to size × size.
    private func keys(of image: Tensor, size: Int) throws -> [String: (Tensor, PatchGrid)] {
        let resized = Tensor(channels: 3, height: size, width: size)
        Resample.forward(image, into: resized, kind: size <= min(image.width, image.height) ? .area : .bicubic)
        resized.clamp(to: 0...1)
        let features = try vgg.features(of: resized, layers: layers)
        var result: [String: (Tensor, PatchGrid)] = [:]
        for layer in layers {
            let map = features[layer]!
            let patches = Tensor(Patches.shape(for: map.shape))
            Patches.extract(map, into: patches)
            let keys = Tensor(patches.shape)
            PatchKeys.build(featurePatches: patches, semanticPatches: [], weights: [], into: keys)
            result[layer] = (keys, PatchGrid(map: map.shape))
        }
        return result
    }

    private func measure(
        queries: Tensor, grid: PatchGrid, bank: Tensor, bankGrid: PatchGrid, reference: ReferenceSGEMM,
        sgemmRate: Double, layer: String, size: Int
    ) -> Case {
        let exact = ExactPatchSearch(bank: bank)
        var exactMatches: [Int32] = [], exactScores: [Float] = []
        let (exactTiming, pairedSGEMM) = Timing.measurePaired(repeats: repeats, reference: reference.run) {
            exact.search(queries: queries, grid: grid, seed: 0, matches: &exactMatches, scores: &exactScores)
        }
        let exactRate = exact.flops(queries: queries.height) / exactTiming.median / 1e9

        var approximate: ApproximatePatchSearch?
        let build = Timing.measure(repeats: 1) {
            approximate = ApproximatePatchSearch(bank: bank, grid: bankGrid, parameters: parameters, seed: 1)
        }
        let search = approximate!
        var matches: [Int32] = [], scores: [Float] = []
        var seed: UInt64 = 0
        let cold = Timing.measure(repeats: repeats) {
            matches = []
            seed += 1
            search.search(queries: queries, grid: grid, seed: seed, matches: &matches, scores: &scores)
        }
        let coldRecall = SearchRecall(exact: (exactMatches, exactScores), approximate: (matches, scores))
        // Warm: each repeat starts from the field of a search from a random field.
        let start = matches
        var warmMatches: [Int32] = [], warmScores: [Float] = []
        var warmSeconds: [Double] = []
        for _ in 0..<repeats {
            warmMatches = start
            warmSeconds.append(Timing.clock {
                seed += 1
                search.search(queries: queries, grid: grid, seed: seed, matches: &warmMatches, scores: &warmScores)
            })
        }
        let warm = Timing(seconds: warmSeconds)
        let warmRecall = SearchRecall(exact: (exactMatches, exactScores), approximate: (warmMatches, warmScores))
        return Case(
            layer: layer, size: size, queries: queries.height, bank: bank.height, key_length: bank.width,
            exact_seconds: exactTiming.median, exact_seconds_min: exactTiming.min, exact_seconds_max: exactTiming.max,
            exact_gflops: exactRate, exact_ratio: exactRate / sgemmRate,
            exact_paired_ratio: exactRate / reference.rate(pairedSGEMM),
            approx_seconds: cold.median, approx_seconds_min: cold.min, approx_seconds_max: cold.max,
            approx_build_seconds: build.median, approx_warm_seconds: warm.median,
            screening: search.screening(warm: false).rawValue, warm_screening: search.screening(warm: true).rawValue,
            speedup: exactTiming.median / cold.median, warm_speedup: exactTiming.median / warm.median,
            recall_within_1pct: coldRecall.withinOnePercent, recall_exact: coldRecall.identical,
            warm_recall_within_1pct: warmRecall.withinOnePercent, warm_recall_exact: warmRecall.identical)
    }
}
