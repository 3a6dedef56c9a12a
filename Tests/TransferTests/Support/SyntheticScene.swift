import ImageIO
import Semantics
import TestSupport
import Tensor

/// A small content–style pair drawn from formulas, with the colour-coded maps a user would
/// paint for it: the tests of the method's claims build their cases here, so that every pixel's
/// region and lighting is known.
struct SyntheticScene {
    var content: Tensor
    var style: Tensor
    var contentMap: GuideMap
    var styleMap: GuideMap

    /// Map colours: names of regions, the same in both maps.
    static let mapColours: [SIMD3<Float>] = [SIMD3(1, 1, 0), SIMD3(0, 1, 1), SIMD3(1, 0, 1)]

    /// A size×size RGB picture: each pixel is `colour(x, y)` plus `amplitude(x, y)` times a
    /// shared grey texture (2×2-smoothed uniform noise in −1…1, so a pixel's channels move
    /// together, like paint that is lighter or darker), times `light(x, y)`, clamped to 0…1.
    static func picture(
        size: Int, seed: UInt64, colour: (Int, Int) -> SIMD3<Float>, amplitude: (Int, Int) -> Float,
        light: (Int, Int) -> Float = { _, _ in 1 }
    ) -> Tensor {
        var random = SeededRandom(seed: seed)
        let raw = random.floats((size + 1) * (size + 1))
        let plane = size * size
        var values = [Float](repeating: 0, count: 3 * plane)
        for y in 0..<size {
            for x in 0..<size {
                let i = y * (size + 1) + x
                let noise = (raw[i] + raw[i + 1] + raw[i + size + 1] + raw[i + size + 2]) / 2
                let pixel = (colour(x, y) + SIMD3(repeating: amplitude(x, y) * noise)) * light(x, y)
                for c in 0..<3 { values[c * plane + y * size + x] = min(max(pixel[c], 0), 1) }
            }
        }
        return Tensor(Shape(channels: 3, height: size, width: size), values: values)
    }

    /// A colour-coded map: pixel (x, y) gets `mapColours[label(x, y)]`.
    static func map(size: Int, source: String, label: (Int, Int) -> Int) -> GuideMap {
        let plane = size * size
        var samples = [Float](repeating: 0, count: 3 * plane)
        for y in 0..<size {
            for x in 0..<size {
                let colour = mapColours[label(x, y)]
                for c in 0..<3 { samples[c * plane + y * size + x] = colour[c] }
            }
        }
        return GuideMap(Raster(width: size, height: size, layout: .rgb, samples: samples), source: source)
    }

    /// The deep semantic space of the pair as `atelier stylize` builds it from two maps:
    /// segmentation from the maps, lighting estimated from the images.
    func space() throws -> DeepSemanticSpace {
        try DeepSemanticSpace(
            content: content, style: style, guides: DeepSemanticSpace.Guides(contentMap: contentMap, styleMap: styleMap))
    }
}
