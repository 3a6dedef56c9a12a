extension ColourCodes {
    /// The index in `colours` of each pixel's region.
    ///
    /// A pixel within `tolerance` of a region colour is that region's. Any other pixel is a border
    /// blend, and it joins the region nearest to it in colour among the regions it touches, as
    /// the regions grow into the borders, so a blend of two regions lands in one of those two and
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
        // Grow the regions into the borders one ring of pixels at a time; each ring reads only the
        // rings before it, so the order of the loop cannot matter.
        var pending = codes.indices.filter { assigned[$0] < 0 }
        while !pending.isEmpty {
            var joined: [(index: Int, label: Int32)] = []
            var left: [Int] = []
            for index in pending {
                let around = regionsAround(index, in: assigned)
                if around.isEmpty {
                    left.append(index)
                    continue
                }
                let colour = ColourCodes.colour(of: codes[index])
                let best = around.min {
                    (colourDistance(colours[$0], colour), $0) < (colourDistance(colours[$1], colour), $1)
                }!
                joined.append((index, Int32(best)))
            }
            guard !joined.isEmpty else {
                // No region anywhere to grow from: plain nearest colour.
                for index in left { assigned[index] = nearestOfCode[codes[index]]!.index }
                break
            }
            for (index, label) in joined { assigned[index] = label }
            pending = left
        }
        return assigned
    }

    /// The regions of the 8 neighbours of `index` that already have one.
    private func regionsAround(_ index: Int, in assigned: [Int32]) -> [Int] {
        let x = index % width, y = index / width
        var found: [Int] = []
        for ny in max(0, y - 1)...min(height - 1, y + 1) {
            for nx in max(0, x - 1)...min(width - 1, x + 1) where assigned[ny * width + nx] >= 0 {
                let label = Int(assigned[ny * width + nx])
                if !found.contains(label) { found.append(label) }
            }
        }
        return found
    }
}
