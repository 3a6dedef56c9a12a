/// How well an approximate field matches the exact one (DESIGN.md §8): the fraction of queries
/// whose approximate match scores within 1% of the best score, and the fraction whose match is
/// the very patch the exact search found.
public struct SearchRecall: Sendable, Equatable {
    public var withinOnePercent: Double
    public var identical: Double

    /// - Parameters:
    ///   - exact: the exact search's matches and scores (the best score of each query).
    ///   - approximate: the approximate search's, for the same queries.
    public init(exact: (matches: [Int32], scores: [Float]), approximate: (matches: [Int32], scores: [Float])) {
        precondition(exact.matches.count == approximate.matches.count && exact.scores.count == exact.matches.count
                     && approximate.scores.count == approximate.matches.count, "fields of different sizes")
        let count = exact.matches.count
        var within = 0, same = 0
        for p in 0..<count {
            let best = exact.scores[p], found = approximate.scores[p]
            // Within 1% of the best score's magnitude (scores are cosines, may be ≤ 0).
            if found >= best - 0.01 * abs(best) { within += 1 }
            if exact.matches[p] == approximate.matches[p] { same += 1 }
        }
        withinOnePercent = count == 0 ? 1 : Double(within) / Double(count)
        identical = count == 0 ? 1 : Double(same) / Double(count)
    }
}
