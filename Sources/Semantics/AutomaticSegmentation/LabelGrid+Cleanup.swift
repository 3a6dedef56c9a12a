/// Labels of one image at the working size of the automatic segmentation, row-major.
struct LabelGrid {
    let width: Int
    let height: Int
    var labels: [Int32]

    /// Merges every connected region (4-connected) smaller than `minimumArea` pixels into the
    /// label that borders it most: clustering pixels one by one leaves specks, and a speck of
    /// "sky" inside a cliff would pull sky patches of the style there.
    mutating func mergeSmallRegions(minimumArea: Int) {
        var region = [Int](repeating: -1, count: labels.count)
        var regionCount = 0
        for start in labels.indices where region[start] < 0 {
            // Flood the region of `start`, counting the labels on its border.
            let label = labels[start]
            var members = [start]
            region[start] = regionCount
            var borders: [Int32: Int] = [:]
            var next = 0
            while next < members.count {
                let index = members[next]
                next += 1
                for neighbour in neighbours(of: index) {
                    if labels[neighbour] != label {
                        borders[labels[neighbour], default: 0] += 1
                    } else if region[neighbour] < 0 {
                        region[neighbour] = regionCount
                        members.append(neighbour)
                    }
                }
            }
            regionCount += 1
            guard members.count < minimumArea,
                let (into, _) = borders.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
            else { continue }
            for index in members { labels[index] = into }
        }
    }

    /// Replaces each label by the most frequent one in its 3×3 neighbourhood (its own on a tie):
    /// removes the lines one or two pixels wide that deep features leave along strong edges,
    /// which are too long to be merged as small regions.
    mutating func majorityFilter() {
        var filtered = labels
        for y in 0..<height {
            for x in 0..<width {
                var votes: [Int32: Int] = [:]
                for ny in max(0, y - 1)...min(height - 1, y + 1) {
                    for nx in max(0, x - 1)...min(width - 1, x + 1) { votes[labels[ny * width + nx], default: 0] += 1 }
                }
                let own = labels[y * width + x]
                let best = votes.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!
                if best.value > votes[own]! { filtered[y * width + x] = best.key }
            }
        }
        labels = filtered
    }

    private func neighbours(of index: Int) -> [Int] {
        let x = index % width, y = index / width
        var result: [Int] = []
        if x > 0 { result.append(index - 1) }
        if x + 1 < width { result.append(index + 1) }
        if y > 0 { result.append(index - width) }
        if y + 1 < height { result.append(index + width) }
        return result
    }
}
