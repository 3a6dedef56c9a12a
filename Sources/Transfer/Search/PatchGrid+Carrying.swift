/// Carrying a nearest-neighbour field from one pyramid level to the next (DESIGN.md §1): a finer
/// level's patch starts from the match of the coarser patch under it, moved by the same offset
/// in the style, with both grids' coordinates scaled by their maps' size ratios (×2 between
/// levels). The approximate search then only refines the field.
extension PatchGrid {
    /// The field `matches` (one style patch per patch of `from.query`, indices into `from.bank`)
    /// carried to the grids `to.query` and `to.bank`.
    ///
    /// Positions are patch centres in continuous map coordinates (pixel i spans [i, i + 1), so a
    /// patch with corner y has its centre at y + 1.5); a map of H rows scales to H′ by H′/H.
    public static func carry(
        _ matches: [Int32], from: (query: PatchGrid, bank: PatchGrid), to: (query: PatchGrid, bank: PatchGrid)
    ) -> [Int32] {
        precondition(matches.count == from.query.count, "\(matches.count) matches for \(from.query.count) patches")
        guard from.query.count > 0, from.bank.count > 0, to.bank.count > 0 else {
            return [Int32](repeating: 0, count: to.query.count)
        }
        // Map sizes (rows + 2 pixels): the ratio of the feature maps, not of the patch grids.
        func ratio(_ a: Int, _ b: Int) -> Double { Double(a + 2) / Double(b + 2) }
        let queryDown = (ratio(from.query.rows, to.query.rows), ratio(from.query.columns, to.query.columns))
        let bankUp = (ratio(to.bank.rows, from.bank.rows), ratio(to.bank.columns, from.bank.columns))
        func nearest(_ centre: Double, _ count: Int) -> Int { min(max(Int((centre - 1.5).rounded()), 0), count - 1) }

        var carried = [Int32](repeating: 0, count: to.query.count)
        for y in 0..<to.query.rows {
            let v = (Double(y) + 1.5) * queryDown.0
            let y0 = nearest(v, from.query.rows)
            for x in 0..<to.query.columns {
                let u = (Double(x) + 1.5) * queryDown.1
                let x0 = nearest(u, from.query.columns)
                let match = Int(matches[y0 * from.query.columns + x0])
                let (sy, sx) = match.quotientAndRemainder(dividingBy: from.bank.columns)
                // The style position of this patch at the coarse level: its coarse patch's match,
                // plus how far this patch sits from that coarse patch's centre.
                let styleY = Double(sy) + 1.5 + (v - (Double(y0) + 1.5))
                let styleX = Double(sx) + 1.5 + (u - (Double(x0) + 1.5))
                let ty = nearest(styleY * bankUp.0, to.bank.rows)
                let tx = nearest(styleX * bankUp.1, to.bank.columns)
                carried[y * to.query.columns + x] = Int32(ty * to.bank.columns + tx)
            }
        }
        return carried
    }
}
