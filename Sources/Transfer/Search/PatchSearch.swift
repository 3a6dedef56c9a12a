import Tensor

/// Finds, for every query patch, the style patch with the highest matching score (the dot
/// product of their `PatchKeys`). The exact search is the reference; approximate searches
/// implement the same interface so that the loss does not care which one runs.
public protocol NearestPatchSearch: AnyObject {
    /// Writes into `matches[p]` the row of the style bank's keys that best matches row p of
    /// `queries` (1 × P × D), and into `scores[p]` its score.
    ///
    /// - Parameters:
    ///   - grid: where the P query patches sit and their region labels (a search that does not
    ///     need them ignores them).
    ///   - seed: seeds the search's random draws (a deterministic search ignores it); a search
    ///     is a function of its inputs and this seed alone, so one search serves every
    ///     objective of a level, tiles included, from any thread.
    ///   - matches: on entry, a field to start from when it holds P entries (the previous
    ///     iteration's, or the previous level's carried over by `PatchGrid.carry`); a search
    ///     that does not refine a field ignores it.
    func search(queries: Tensor, grid: PatchGrid, seed: UInt64, matches: inout [Int32], scores: inout [Float])
}
