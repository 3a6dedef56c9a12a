/// A colour that fills regions of a map, and how many interior pixels it has.
struct DominantColour: Equatable {
    var colour: SIMD3<Float>
    var interiorPixels: Int
}

/// Finding the region colours of an anti-aliased, hand-painted map.
///
/// Counting pixels per colour cannot tell a small region from a frequent border blend (in
/// Gogh_sem.png the grey eyes have 141 pixels, one blend colour 275). What separates them is
/// shape: a region has an inside, a pixel whose 3×3 neighbourhood is all its own colour, while
/// anti-aliasing leaves lines one or two pixels wide. So the dominant colours are the colours
/// with at least `minimumInteriorPixels` interior pixels, after folding colours closer than
/// `tolerance` into the most frequent of them (slightly noisy painting).
enum DominantColours {
    static func find(in pixels: ColourCodes, tolerance: Float, minimumInteriorPixels: Int) -> [DominantColour] {
        var interior: [UInt64: Int] = [:]
        for index in pixels.codes.indices where pixels.isInterior(index) {
            interior[pixels.codes[index], default: 0] += 1
        }
        // Most frequent first; ties by code, so the result never depends on hashing order.
        let candidates = interior.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var found: [DominantColour] = []
        for (code, count) in candidates {
            let colour = ColourCodes.colour(of: code)
            if let near = nearest(to: colour, in: found.map(\.colour)),
                colourDistance(found[near].colour, colour) <= tolerance
            {
                found[near].interiorPixels += count
            } else {
                found.append(DominantColour(colour: colour, interiorPixels: count))
            }
        }
        return found.filter { $0.interiorPixels >= minimumInteriorPixels }
    }

    /// The index of the colour in `colours` nearest to `colour` (the first on a tie), nil if empty.
    static func nearest(to colour: SIMD3<Float>, in colours: [SIMD3<Float>]) -> Int? {
        colours.indices.min { colourDistance(colours[$0], colour) < colourDistance(colours[$1], colour) }
    }
}
