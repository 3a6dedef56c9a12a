import Tensor

extension TransferSettings.Search {
    /// Builds this kind of search over a style bank's keys (1 × N × D) on its grid.
    /// - Parameter seed: seeds what the search draws once (the approximate search's projection).
    public func make(keys: Tensor, grid: PatchGrid, seed: UInt64) -> NearestPatchSearch {
        switch self {
        case .exact: return ExactPatchSearch(bank: keys)
        case .approximate: return ApproximatePatchSearch(bank: keys, grid: grid, seed: seed)
        }
    }
}
