import Foundation

extension Plane {
    /// Each value replaced by its soft rank in the plane, in 0…1: the fraction of the plane's
    /// values below it, counting values within about `tolerance` of it as half below.
    ///
    /// A plain rank would stretch the last bits of noise on a flat area over a wide range of
    /// levels (all pixels of a uniformly lit wall have distinct ranks); with the step of the
    /// empirical distribution softened by a Gaussian of width `tolerance`, a flat area keeps one
    /// level, while levels that really differ still spread over 0…1. A histogram of 1024 bins
    /// keeps it O(N).
    func softRanks(tolerance: Float) -> Plane {
        guard let low = values.min(), let high = values.max(), high - low > 1e-6 else {
            return mapped { _ in 0.5 }
        }
        let bins = 1024
        let binWidth = (high - low) / Float(bins)
        var histogram = [Double](repeating: 0, count: bins)
        for value in values { histogram[min(bins - 1, Int((value - low) / binWidth))] += 1 }
        let centres = (0..<bins).map { low + (Float($0) + 0.5) * binWidth }
        let spread = Double(max(tolerance, binWidth / 2))
        let total = Double(values.count)
        // The smoothed distribution function at each bin centre.
        let distribution = centres.map { centre -> Float in
            var below = 0.0
            for (bin, count) in histogram.enumerated() where count > 0 {
                below += count * 0.5 * erfc(-Double(centre - centres[bin]) / (spread * 2.0.squareRoot()))
            }
            return Float(below / total)
        }
        return mapped { value in
            let position = min(max((value - low) / binWidth - 0.5, 0), Float(bins - 1))
            let left = Int(position), right = min(left + 1, bins - 1)
            let t = position - Float(left)
            return distribution[left] * (1 - t) + distribution[right] * t
        }
    }
}
