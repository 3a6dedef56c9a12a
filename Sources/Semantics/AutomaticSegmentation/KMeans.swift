import Tensor

/// k-means on points in rows of a matrix: k-means++ seeding from a seeded generator, then Lloyd
/// iterations until no point changes cluster. Sums run in Double, in a fixed order, so the result
/// is the same for the same seed on every run.
struct KMeans {
    let k: Int
    let maximumIterations: Int

    /// The cluster of each of the `count` points (rows of `dimension` floats in `points`).
    func clusters(of points: [Float], count: Int, dimension: Int, using random: inout SplitMix64) -> [Int32] {
        precondition(count > 0 && points.count == count * dimension, "k-means on \(count)×\(dimension) points")
        let k = min(self.k, count)
        var centres = seeds(points, count: count, dimension: dimension, k: k, using: &random)
        var assignment = [Int32](repeating: -1, count: count)
        for _ in 0..<maximumIterations {
            var changed = false
            points.withUnsafeBufferPointer { p in
                for i in 0..<count {
                    let nearest = Int32(
                        KMeans.nearest(p.baseAddress! + i * dimension, centres, dimension: dimension).index)
                    if nearest != assignment[i] { assignment[i] = nearest; changed = true }
                }
            }
            if !changed { break }
            centres = means(points, assignment, count: count, dimension: dimension, k: k, previous: centres)
        }
        return assignment
    }

    /// k-means++: the first centre uniformly, each next one with probability ∝ its squared
    /// distance to the nearest centre chosen so far.
    private func seeds(
        _ points: [Float], count: Int, dimension: Int, k: Int, using random: inout SplitMix64
    ) -> [[Float]] {
        func row(_ i: Int) -> [Float] { Array(points[i * dimension..<(i + 1) * dimension]) }
        var centres = [row(Int.random(in: 0..<count, using: &random))]
        var distances = [Double](repeating: 0, count: count)
        while centres.count < k {
            points.withUnsafeBufferPointer { p in
                for i in 0..<count {
                    distances[i] = Double(
                        KMeans.nearest(p.baseAddress! + i * dimension, centres, dimension: dimension).distance)
                }
            }
            let total = distances.reduce(0, +)
            guard total > 0 else { break }  // fewer distinct points than k
            var target = Double.random(in: 0..<total, using: &random)
            var chosen = count - 1
            for i in 0..<count {
                target -= distances[i]
                if target < 0 { chosen = i; break }
            }
            centres.append(row(chosen))
        }
        return centres
    }

    /// The mean of each cluster's points; a cluster left empty keeps its previous centre.
    private func means(
        _ points: [Float], _ assignment: [Int32], count: Int, dimension: Int, k: Int, previous: [[Float]]
    ) -> [[Float]] {
        var sums = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: previous.count)
        var sizes = [Int](repeating: 0, count: previous.count)
        for i in 0..<count {
            let cluster = Int(assignment[i])
            sizes[cluster] += 1
            for d in 0..<dimension { sums[cluster][d] += Double(points[i * dimension + d]) }
        }
        return previous.indices.map { c in
            sizes[c] == 0 ? previous[c] : sums[c].map { Float($0 / Double(sizes[c])) }
        }
    }

    /// The nearest centre to the point at `point` and its squared distance (the first on a tie).
    static func nearest(_ point: UnsafePointer<Float>, _ centres: [[Float]], dimension: Int) -> (
        index: Int, distance: Float
    ) {
        var best = (index: 0, distance: Float.infinity)
        for (index, centre) in centres.enumerated() {
            var distance: Float = 0
            centre.withUnsafeBufferPointer { c in
                for d in 0..<dimension {
                    let difference = point[d] - c[d]
                    distance += difference * difference
                }
            }
            if distance < best.distance { best = (index, distance) }
        }
        return best
    }
}
