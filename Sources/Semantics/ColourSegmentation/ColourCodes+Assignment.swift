extension ColourCodes {
    /// The index in `colours` of each pixel's region.
    ///
    /// A pixel within `tolerance` of a region colour is that region's. Any other pixel is a border
    /// blend, and it goes to the region colour nearest to it among the regions found around it
    /// (in windows of growing radius), so a blend of two regions lands in one of those two and
    /// never in a third region whose colour happens to be closer: a red–blue blend (128, 26, 143)
    /// is nearer in colour to dark red (192, 0, 0) than to either of its own regions.
    func assign(to colours: [SIMD3<Float>], tolerance: Float) -> [Int32] {
        precondition(!colours.isEmpty, "no region colours to assign pixels to")
        var nearestOfCode: [UInt64: (index: Int32, distance: Float)] = [:]
        var assigned = [Int32](repeating: -1, count: codes.count)
        for (index, code) in codes.enumerated() {
            if nearestOfCode[code] == nil {
                let colour = ColourCodes.colour(of: code)
                let near = DominantColours.nearest(to: colour, in: colours)!
                nearestOfCode[code] = (Int32(near), colourDistance(colours[near], colour))
            }
            let (near, distance) = nearestOfCode[code]!
            if distance <= tolerance { assigned[index] = near }
        }
        // Border pixels read only the first pass's regions, so the order of the loop cannot matter.
        var labels = assigned
        for index in codes.indices where assigned[index] < 0 {
            let colour = ColourCodes.colour(of: codes[index])
            let around = regionsAround(index, in: assigned)
            let candidates = around.isEmpty ? Array(colours.indices) : around
            let best = candidates.min {
                (colourDistance(colours[$0], colour), $0) < (colourDistance(colours[$1], colour), $1)
            }!
            labels[index] = Int32(best)
        }
        return labels
    }

    /// The regions present in the smallest window (radius 1, 2, 4, … 32) around `index` that holds
    /// any assigned pixel; empty if none is that close.
    private func regionsAround(_ index: Int, in assigned: [Int32]) -> [Int] {
        let x = index % width, y = index / width
        var radius = 1
        while radius <= 32 {
            var found = Set<Int>()
            for ny in max(0, y - radius)...min(height - 1, y + radius) {
                for nx in max(0, x - radius)...min(width - 1, x + radius) where assigned[ny * width + nx] >= 0 {
                    found.insert(Int(assigned[ny * width + nx]))
                }
            }
            if !found.isEmpty { return found.sorted() }
            radius *= 2
        }
        return []
    }
}
