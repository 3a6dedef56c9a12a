import ImageIO
import Semantics
import TestSupport

/// Maps and pictures shared by the Semantics tests.
enum SemanticsFixtures {
    /// A shipped semantic map (`style/Monet_sem.png`, `content/Coastline_sem.png`, …).
    static func map(_ relativePath: String) throws -> GuideMap {
        try GuideMap(contentsOf: Fixtures.samples.appendingPathComponent(relativePath).path)
    }

    /// An 8-bit RGB raster painted by `colour(x, y)` (RGB in 0…1).
    static func raster(width: Int, height: Int, _ colour: (Int, Int) -> SIMD3<Float>) -> Raster {
        var raster = Raster(width: width, height: height, layout: .rgb)
        for y in 0..<height {
            for x in 0..<width {
                let c = colour(x, y)
                for channel in 0..<3 { raster[x, y, channel] = c[channel] }
            }
        }
        return raster
    }

    /// The exact 8-bit colour of a pixel of an RGB raster, as integers.
    static func colour8(_ raster: Raster, x: Int, y: Int) -> SIMD3<Int> {
        SIMD3((0..<3).map { Int((raster[x, y, $0] * 255).rounded()) })
    }
}

extension SIMD3 where Scalar == Float {
    /// The colour as 8-bit integers.
    var eightBit: SIMD3<Int> { SIMD3<Int>((0..<3).map { Int((self[$0] * 255).rounded()) }) }
}
