import Tensor

/// Approximate nearest-neighbour search over a style patch bank in the manner of PatchMatch
/// (Barnes et al. 2009): a field of matches is improved by propagation (a neighbour's match,
/// shifted by one patch, is often a good match) and by random search in windows that halve
/// around the current match, starting from a given field (the previous iteration's, or the
/// previous level's carried over) or from random matches.
///
/// Candidates are screened in a low-dimensional projection of the keys (`PatchProjection`), and
/// the few best of each query are rescored with the full keys, so every reported score is the
/// method's exact score cos(features) + Σ wᵢ · cos(DSS groupᵢ) of the reported match. When both
/// grids carry region labels, a query only ever matches style patches of its own label (when
/// the style has any).
///
/// The result depends only on the inputs and the seed: query rows are swept in bands of fixed
/// height whatever the thread count, every query draws from its own generator, and the search
/// keeps no state between calls (its scratch is per call), so one instance serves every
/// objective of a level concurrently.
public final class ApproximatePatchSearch: NearestPatchSearch {
    /// The search's effort. Measured with `atelier bench nn` (chelsea searched in starry_night,
    /// 2 threads): recall rose with passes and kept candidates far more than with the projection's
    /// dimension (at 256², relu4_1, 40 sweeps: d = 64 → 0.89, d = 256 → 0.90). At 512², relu3_1,
    /// from a random field: 24 sweeps 0.86 within 1% of the exact best, 22× faster than exact;
    /// 48 sweeps 0.90, 21× (the projection and the rescoring dominate the time, not the sweeps);
    /// relu4_1 with 24 sweeps 0.94, 14×. Rescoring more candidates lifted relu3_1 at 512² over the
    /// 0.9 bar (48 sweeps; one run each, loaded machine): 16 → 0.898, 24 → 0.909 (13.6×),
    /// 32 → 0.921 (11.9×); 24 keeps a margin on both recall and speed. Screening every patch
    /// exhaustively in the projection instead of sweeping (`Screening`) beat the sweeps on
    /// both counts where the bank is small enough: at 512², relu3_1, 0.999 within 1% at 26×
    /// (sweeps: 0.914, 17×) and relu4_1 0.999 at 19× (sweeps: 0.966, 6.7×), one run each,
    /// side by side in one load.
    public struct Parameters: Sendable, Equatable {
        /// Dimension of the screening projection (d ≪ D).
        public var dimension = 64
        /// Candidates kept per query, by screening score, for the exact rescoring.
        public var candidates = 24
        /// Sweeps from a random field, and from a field given on entry.
        public var passes = 48
        public var warmPasses = 8
        /// How the candidates are screened (see `Screening`).
        public var screening = Screening.automatic

        public init() {}
    }

    /// How each query's candidates for the exact rescoring are found in the projection.
    public enum Screening: String, Sendable, CaseIterable {
        /// PatchMatch sweeps: about passes × (4k + log₂ side + 2) style patches per query,
        /// whatever the bank's size.
        case sweeps
        /// Every style patch, scored by one SGEMM per block of queries: N patches per query, and
        /// the k best within the projection exactly.
        case exhaustive
        /// Whichever is cheaper for this bank and this number of passes (`prefersExhaustive`).
        case automatic
    }

    /// Whether scoring all N style patches costs less than the sweeps' candidates: a patch in
    /// the SGEMM costs a d-long multiply-add at the BLAS's rate and a comparison, one a sweep
    /// considers costs a scattered d-long dot product and a k-long duplicate check, about
    /// `exhaustiveAdvantage` times as much. Measured with `atelier bench nn --screening` at 512²
    /// (48 ns per patch considered by the sweeps against 9 ns per patch screened for relu3_1,
    /// 58 against 24 ns for relu4_1). So a search from a random field at 512² (relu3_1's 15876
    /// patches, relu4_1's 3844) screens exhaustively, and one from the previous iteration's
    /// field (8 passes) sweeps; a gigapixel level's bank (style_max_side 2048: 262144 relu3_1
    /// patches) always sweeps, so the cost there stays linear in the bank's size.
    public static func prefersExhaustive(bankCount: Int, bankSide: Int, passes: Int, candidates: Int) -> Bool {
        let perPass = 4 * candidates + (Int.bitWidth - max(bankSide, 1).leadingZeroBitCount) + 2
        return bankCount <= exhaustiveAdvantage * passes * perPass
    }

    /// How many bank patches the SGEMM screens for the cost of one patch a sweep considers.
    static let exhaustiveAdvantage = 4

    /// The most screening scores held at once by the exhaustive screening (a block of queries ×
    /// N): 4 Mi floats, 16 MiB.
    static let screeningBlockFloats = 4 << 20

    /// Query rows one thread sweeps in order before another band's results are seen.
    static let bandRows = 8

    /// Style keys, 1 × N × D.
    public let bank: Tensor
    /// Where the style patches sit, and their labels.
    public let grid: PatchGrid
    public let parameters: Parameters
    let projection: PatchProjection
    private let projectedBank: Tensor
    /// Style patches by label: `members[offsets[l]..<offsets[l + 1]]` have label l.
    private let members: [Int32]
    private let offsets: [Int]

    /// - Parameters:
    ///   - bank: the style patches' keys (1 × N × D), see `PatchKeys`.
    ///   - grid: the style patches' grid (N patches) and labels.
    ///   - seed: seeds the projection's random start.
    public init(bank: Tensor, grid: PatchGrid, parameters: Parameters = Parameters(), seed: UInt64 = 0) {
        precondition(bank.height > 0, "an empty style patch bank")
        precondition(grid.count == bank.height, "a grid of \(grid.count) patches for \(bank.height) style keys")
        self.bank = bank
        self.grid = grid
        self.parameters = parameters
        projection = PatchProjection(bank: bank, dimension: parameters.dimension, seed: seed)
        projectedBank = Tensor(Shape(channels: 1, height: bank.height, width: projection.dimension))
        projection.project(bank, into: projectedBank)
        let labelCount = Int(grid.labels?.max() ?? -1) + 1
        var offsets = [Int](repeating: 0, count: labelCount + 1)
        var members: [Int32] = []
        if let labels = grid.labels {
            precondition(labels.allSatisfy { $0 >= 0 }, "style patch labels must be ≥ 0")
            for label in 0..<labelCount {
                offsets[label] = members.count
                members += labels.indices.filter { labels[$0] == label }.map(Int32.init)
            }
            offsets[labelCount] = members.count
        }
        self.members = members
        self.offsets = offsets
    }

    public func search(
        queries: Tensor, grid queryGrid: PatchGrid, seed: UInt64, matches: inout [Int32], scores: inout [Float]
    ) {
        let count = queries.height, length = bank.width, k = parameters.candidates
        precondition(queryGrid.count == count, "a grid of \(queryGrid.count) patches for \(count) queries")
        precondition(queries.width == length, "query keys of length \(queries.width), bank keys of length \(length)")
        let projected = Tensor(Shape(channels: 1, height: count, width: projection.dimension))
        projection.project(queries, into: projected)
        let warm = matches.count == count
        if !warm { matches = [Int32](repeating: 0, count: count) }
        if scores.count != count { scores = [Float](repeating: 0, count: count) }
        let queryLabels = labels(of: queryGrid)
        var indices = [Int32](repeating: -1, count: count * k), values = [Float](repeating: -.infinity, count: count * k)
        var snapshot = [Int32](repeating: -1, count: count * k)
        let passes = warm ? parameters.warmPasses : parameters.passes
        let bands = (queryGrid.rows + Self.bandRows - 1) / Self.bandRows

        queries.withUnsafeBufferPointer { queryKeys in
        bank.withUnsafeBufferPointer { bankKeys in
        projected.withUnsafeBufferPointer { projected in
        projectedBank.withUnsafeBufferPointer { projectedBank in
        members.withUnsafeBufferPointer { members in
        offsets.withUnsafeBufferPointer { offsets in
        queryLabels.withUnsafeBufferPointer { queryLabels in
        (grid.labels ?? []).withUnsafeBufferPointer { bankLabels in
        indices.withUnsafeMutableBufferPointer { indices in
        values.withUnsafeMutableBufferPointer { values in
        snapshot.withUnsafeMutableBufferPointer { snapshot in
        matches.withUnsafeMutableBufferPointer { matches in
        scores.withUnsafeMutableBufferPointer { scores in
            let sweep = PatchMatchSweep(
                queries: projected.baseAddress!, bank: projectedBank.baseAddress!, dimension: projection.dimension,
                queryKeys: queryKeys.baseAddress!, bankKeys: bankKeys.baseAddress!, length: length,
                rows: queryGrid.rows, columns: queryGrid.columns, bankRows: grid.rows, bankColumns: grid.columns,
                queryLabels: grid.labels == nil ? nil : queryLabels.baseAddress,
                bankLabels: grid.labels == nil ? nil : bankLabels.baseAddress,
                members: members.baseAddress, offsets: offsets.baseAddress!,
                candidates: k, indices: indices.baseAddress!, scores: values.baseAddress!,
                snapshot: snapshot.baseAddress!, seed: seed)
            let field = SharedField(matches: matches.baseAddress!, scores: scores.baseAddress!)
            if screening(warm: warm) == .exhaustive {
                screenEveryPatch(projected: projected, with: sweep)
            } else {
                Engine.parallelFor(bands) { band in
                    sweep.start(band: band, from: warm ? UnsafePointer(field.matches) : nil)
                }
                for pass in 0..<passes {
                    sweep.snapshot.update(from: sweep.indices, count: count * k)
                    Engine.parallelFor(bands) { band in sweep.sweep(band: band, pass: pass) }
                }
            }
            Engine.parallelFor(bands) { band in sweep.rescore(band: band, into: field, keepingGiven: warm) }
        }}}}}}}}}}}}}
    }

    /// The screening a search from a random field (or, `warm`, from a given one) uses: `.sweeps`
    /// or `.exhaustive`, never `.automatic`.
    public func screening(warm: Bool) -> Screening {
        guard parameters.screening == .automatic else { return parameters.screening }
        let exhaustive = Self.prefersExhaustive(
            bankCount: grid.count, bankSide: max(grid.rows, grid.columns),
            passes: warm ? parameters.warmPasses : parameters.passes, candidates: parameters.candidates)
        return exhaustive ? .exhaustive : .sweeps
    }

    /// Screens every style patch for every query: the projected scores of a block of queries
    /// against the whole projected bank (one SGEMM, on the BLAS's threads), then each query's k
    /// best of them (on the engine's threads; the two never overlap).
    private func screenEveryPatch(projected: UnsafeBufferPointer<Float>, with sweep: PatchMatchSweep) {
        let count = projected.count / projection.dimension, bankCount = grid.count, d = projection.dimension
        let block = max(1, min(count, Self.screeningBlockFloats / bankCount))
        let screening = Tensor(Shape(channels: 1, height: block, width: bankCount))
        let chunks = Engine.threads * 4
        projectedBank.withUnsafeBufferPointer { projectedBank in
            screening.withUnsafeMutableBufferPointer { screening in
                var first = 0
                while first < count {
                    let rows = min(block, count - first)
                    Matrix.multiply(
                        .normal, UnsafeBufferPointer(rebasing: projected[(first * d)...]), lda: d,
                        .transposed, projectedBank, ldb: d, into: screening, ldc: bankCount, m: rows, n: bankCount, k: d)
                    let scores = SharedPointer(screening.baseAddress!), start = first, parts = min(chunks, rows)
                    Engine.parallelFor(parts) { part in
                        for r in (part * rows / parts)..<((part + 1) * rows / parts) {
                            sweep.screenEveryPatch(start + r, scores: scores.base + r * bankCount)
                        }
                    }
                    first += rows
                }
            }
        }
    }

    /// Each query's label for this search, or −1 (any style patch) when the style has no patch
    /// of that label or either grid has no labels.
    private func labels(of queryGrid: PatchGrid) -> [Int32] {
        guard let labels = queryGrid.labels, grid.labels != nil else {
            return [Int32](repeating: -1, count: queryGrid.count)
        }
        let labelCount = offsets.count - 1
        return labels.map { label in
            let present = label >= 0 && Int(label) < labelCount && offsets[Int(label) + 1] > offsets[Int(label)]
            return present ? label : -1
        }
    }
}

/// The output field, written by the rescoring (each band its own queries).
struct SharedField: @unchecked Sendable {
    let matches: UnsafeMutablePointer<Int32>
    let scores: UnsafeMutablePointer<Float>

    func write(_ p: Int, match: Int32, score: Float) {
        matches[p] = match
        scores[p] = score
    }
}
