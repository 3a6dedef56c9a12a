import Foundation

extension Plane {
    /// The plane through the recursive edge-preserving filter of the domain transform (Gastal &
    /// Oliveira 2011), guided by itself: a first-order recursive blur of scale `spatialSigma`
    /// along rows and columns, whose feedback between neighbours fades with their difference,
    /// as if they lay 1 + (spatialSigma / rangeSigma)·|ΔI| pixels apart. Differences well below
    /// `rangeSigma` are smoothed across, a step well above it stops the blur, so an edge keeps
    /// its width however large the blur. O(N) per pass; `iterations` passes of shrinking scale
    /// (rows then columns each) remove the streaks one pass would leave.
    func domainTransformFilter(spatialSigma: Float, rangeSigma: Float, iterations: Int = 3) -> Plane {
        let ratio = spatialSigma / rangeSigma
        // Distances in the transformed domain between each pixel and its left / upper neighbour.
        var horizontal = [Float](repeating: 1, count: values.count)
        var vertical = [Float](repeating: 1, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                if x > 0 { horizontal[index] = 1 + ratio * abs(values[index] - values[index - 1]) }
                if y > 0 { vertical[index] = 1 + ratio * abs(values[index] - values[index - width]) }
            }
        }
        var result = values
        let total = Float(pow(4.0, Double(iterations)) - 1)
        for pass in 0..<iterations {
            let halving: Float = pow(2, Float(iterations - pass - 1))
            let sigma: Float = spatialSigma * Float(3).squareRoot() * halving / total.squareRoot()
            let feedback = exp(-Float(2).squareRoot() / sigma)
            let horizontalWeights = horizontal.map { pow(feedback, $0) }
            let verticalWeights = vertical.map { pow(feedback, $0) }
            for y in 0..<height {
                Plane.recursiveFilter(&result, start: y * width, stride: 1, count: width, weights: horizontalWeights)
            }
            for x in 0..<width {
                Plane.recursiveFilter(&result, start: x, stride: width, count: height, weights: verticalWeights)
            }
        }
        return Plane(width: width, height: height, values: result)
    }

    /// One causal and one anti-causal pass of J[i] += w[i]·(J[i−1] − J[i]) along a line, where
    /// w[i] is the weight between element i and the one before it.
    private static func recursiveFilter(
        _ values: inout [Float], start: Int, stride step: Int, count: Int, weights: [Float]
    ) {
        guard count > 1 else { return }
        for i in 1..<count {
            let index = start + i * step
            values[index] += weights[index] * (values[index - step] - values[index])
        }
        for i in stride(from: count - 2, through: 0, by: -1) {
            let index = start + i * step
            values[index] += weights[index + step] * (values[index + step] - values[index])
        }
    }
}
