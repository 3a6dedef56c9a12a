extension Plane {
    /// The plane through a self-guided filter (He, Sun & Tang 2010): in each window the output is
    /// the linear function a·I + b of the input that best fits it with a penalised by `epsilon`.
    /// Where the window's variance is well below `epsilon` (shading, faint texture) a ≈ 0 and the
    /// output is the window mean; across an edge, whose variance is well above it, a ≈ 1 and the
    /// edge is kept. Box means make it O(N) for any radius.
    func guidedFilter(radius: Int, epsilon: Float) -> Plane {
        let mean = boxMean(radius: radius)
        let meanOfSquares = mapped { $0 * $0 }.boxMean(radius: radius)
        let variance = meanOfSquares.combined(with: mean) { max($0 - $1 * $1, 0) }
        let a = variance.mapped { $0 / ($0 + epsilon) }
        let b = mean.combined(with: a) { mean, a in mean - a * mean }
        let meanA = a.boxMean(radius: radius), meanB = b.boxMean(radius: radius)
        return Plane(
            width: width, height: height,
            values: (0..<values.count).map { meanA.values[$0] * values[$0] + meanB.values[$0] })
    }
}
