extension Plane {
    /// The mean over the (2·radius + 1)² window around each pixel, the window cut at the borders
    /// (divided by the pixels it really covers, so borders are not darkened).
    ///
    /// Running sums along rows, then along columns: O(1) per pixel whatever the radius, which is
    /// what keeps the texture-clearing step cheap at any radius.
    func boxMean(radius: Int) -> Plane {
        precondition(radius >= 0, "negative box radius")
        if radius == 0 { return self }
        var rows = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            Plane.windowMeans(
                count: width, radius: radius, read: { values[y * width + $0] }, write: { rows[y * width + $0] = $1 })
        }
        var result = [Float](repeating: 0, count: values.count)
        for x in 0..<width {
            Plane.windowMeans(
                count: height, radius: radius, read: { rows[$0 * width + x] }, write: { result[$0 * width + x] = $1 })
        }
        return Plane(width: width, height: height, values: result)
    }

    /// Means of windows [i − radius, i + radius] ∩ [0, count) of one line, from a running sum in
    /// Double (a long line of Float sums would drift).
    private static func windowMeans(
        count: Int, radius: Int, read: (Int) -> Float, write: (Int, Float) -> Void
    ) {
        var prefix = [Double](repeating: 0, count: count + 1)
        for i in 0..<count { prefix[i + 1] = prefix[i] + Double(read(i)) }
        for i in 0..<count {
            let low = max(0, i - radius), high = min(count, i + radius + 1)
            write(i, Float((prefix[high] - prefix[low]) / Double(high - low)))
        }
    }
}
