/// The shared label indices of two maps' region colours: colours within `tolerance` of each other
/// are one label (matched one to one, closest pairs first).
struct ColourMatching {
    /// The number of labels present in both maps: labels `0..<sharedCount`.
    let sharedCount: Int
    /// The label of each of the content's colours, and of each of the style's.
    let contentLabels: [Int]
    let styleLabels: [Int]
    /// The colour of each label (the content's colour for a shared label).
    let palette: [SIMD3<Float>]

    init(content: [DominantColour], style: [DominantColour], tolerance: Float) {
        var pairs: [(content: Int, style: Int, distance: Float)] = []
        for (i, a) in content.enumerated() {
            for (j, b) in style.enumerated() {
                let distance = colourDistance(a.colour, b.colour)
                if distance <= tolerance { pairs.append((i, j, distance)) }
            }
        }
        pairs.sort { ($0.distance, $0.content, $0.style) < ($1.distance, $1.content, $1.style) }
        var partnerOfContent = [Int?](repeating: nil, count: content.count)
        var styleTaken = [Bool](repeating: false, count: style.count)
        for pair in pairs where partnerOfContent[pair.content] == nil && !styleTaken[pair.style] {
            partnerOfContent[pair.content] = pair.style
            styleTaken[pair.style] = true
        }
        // Labels: shared (by joint interior area), then content-only, then style-only (by area).
        let shared = content.indices.compactMap { i in partnerOfContent[i].map { (i, $0) } }
            .sorted { a, b in
                let areaA = content[a.0].interiorPixels + style[a.1].interiorPixels
                let areaB = content[b.0].interiorPixels + style[b.1].interiorPixels
                return areaA != areaB ? areaA > areaB : a.0 < b.0
            }
        let contentOnly = content.indices.filter { partnerOfContent[$0] == nil }
        let styleOnly = style.indices.filter { !styleTaken[$0] }
        var contentLabels = [Int](repeating: 0, count: content.count)
        var styleLabels = [Int](repeating: 0, count: style.count)
        var palette: [SIMD3<Float>] = []
        for (i, j) in shared {
            contentLabels[i] = palette.count
            styleLabels[j] = palette.count
            palette.append(content[i].colour)
        }
        for i in contentOnly {
            contentLabels[i] = palette.count
            palette.append(content[i].colour)
        }
        for j in styleOnly {
            styleLabels[j] = palette.count
            palette.append(style[j].colour)
        }
        sharedCount = shared.count
        self.contentLabels = contentLabels
        self.styleLabels = styleLabels
        self.palette = palette
    }
}
