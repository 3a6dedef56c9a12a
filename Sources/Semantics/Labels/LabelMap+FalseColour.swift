import ImageIO

extension LabelMap {
    /// Colours for labels without a palette: well separated hues, light and dark alternating, so
    /// neighbouring labels stay distinguishable by eye.
    static let falseColours: [SIMD3<Float>] = [
        [0.90, 0.10, 0.10], [0.10, 0.45, 0.90], [0.20, 0.75, 0.20], [0.95, 0.80, 0.10], [0.55, 0.20, 0.70],
        [0.10, 0.80, 0.80], [0.95, 0.50, 0.10], [0.50, 0.30, 0.15], [0.95, 0.55, 0.75], [0.45, 0.45, 0.45],
        [0.60, 0.90, 0.40], [0.10, 0.20, 0.45],
    ]

    /// The map as an 8-bit RGB picture for people to look at (`atelier dss`): each label in its
    /// palette colour when it came from a colour-coded map, else in a fixed false colour.
    public func picture() -> Raster {
        let colours = palette ?? (0..<count).map { LabelMap.falseColours[$0 % LabelMap.falseColours.count] }
        let plane = width * height
        var samples = [Float](repeating: 0, count: 3 * plane)
        for (index, label) in labels.enumerated() {
            let colour = colours[Int(label)]
            for channel in 0..<3 { samples[channel * plane + index] = colour[channel] }
        }
        return Raster(width: width, height: height, layout: .rgb, bitDepth: .eight, samples: samples)
    }
}
