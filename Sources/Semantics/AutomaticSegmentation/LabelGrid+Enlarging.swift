extension LabelGrid {
    /// The labels at `width × height` (at least the grid's size): each pixel takes the label with
    /// the most bilinear weight among the four grid pixels around it. Region borders come out as
    /// smooth curves rather than the staircase of nearest-neighbour enlarging.
    func enlarged(width newWidth: Int, height newHeight: Int) -> [Int32] {
        let columns = (0..<newWidth).map { LabelGrid.taps($0, from: newWidth, to: width) }
        let rows = (0..<newHeight).map { LabelGrid.taps($0, from: newHeight, to: height) }
        var result = [Int32](repeating: 0, count: newWidth * newHeight)
        for (y, row) in rows.enumerated() {
            for (x, column) in columns.enumerated() {
                var votes: [(label: Int32, weight: Float)] = []
                for (sy, wy) in [(row.0, 1 - row.t), (row.1, row.t)] {
                    for (sx, wx) in [(column.0, 1 - column.t), (column.1, column.t)] {
                        let label = labels[sy * width + sx]
                        if let k = votes.firstIndex(where: { $0.label == label }) {
                            votes[k].weight += wy * wx
                        } else {
                            votes.append((label, wy * wx))
                        }
                    }
                }
                result[y * newWidth + x] =
                    votes.max { $0.weight != $1.weight ? $0.weight < $1.weight : $0.label > $1.label }!.label
            }
        }
        return result
    }

    /// The two source indices around output index `index` and the weight of the second (pixel
    /// centres at half-integers, clamped at the borders).
    static func taps(_ index: Int, from outputSize: Int, to inputSize: Int) -> (Int, Int, t: Float) {
        let centre = (Double(index) + 0.5) * Double(inputSize) / Double(outputSize) - 0.5
        let left = Int(centre.rounded(.down))
        let t = Float(centre - Double(left))
        return (min(max(left, 0), inputSize - 1), min(max(left + 1, 0), inputSize - 1), t)
    }
}
