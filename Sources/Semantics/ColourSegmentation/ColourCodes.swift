import ImageIO

/// The pixels of a colour-coded map as exact colour codes, so that "the same colour" is an
/// integer comparison: each channel kept at 16 bits (enough for 8- and 16-bit files), alpha
/// dropped, grey repeated into R, G and B.
struct ColourCodes {
    let width: Int
    let height: Int
    let codes: [UInt64]

    init(_ raster: Raster) {
        let colour = raster.colour()
        let plane = colour.planeSize
        let channels = colour.channelCount
        width = colour.width
        height = colour.height
        codes = (0..<plane).map { index in
            var code: UInt64 = 0
            for channel in 0..<3 {
                let value = colour.samples[min(channel, channels - 1) * plane + index]
                code = code << 16 | UInt64((min(max(value, 0), 1) * 65535).rounded())
            }
            return code
        }
    }

    /// The RGB colour (0…1) of a code.
    static func colour(of code: UInt64) -> SIMD3<Float> {
        SIMD3(Float(code >> 32 & 0xFFFF), Float(code >> 16 & 0xFFFF), Float(code & 0xFFFF)) / 65535
    }

    /// Whether the pixel at `index` has the same code as all its neighbours (8-connected, those
    /// inside the map): the inside of a painted region, never an anti-aliased border, whose
    /// blended colours form lines one or two pixels wide.
    func isInterior(_ index: Int) -> Bool {
        let x = index % width, y = index / width
        let code = codes[index]
        for ny in max(0, y - 1)...min(height - 1, y + 1) {
            for nx in max(0, x - 1)...min(width - 1, x + 1) where codes[ny * width + nx] != code {
                return false
            }
        }
        return true
    }
}

/// Euclidean distance between two RGB colours in 0…1.
func colourDistance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
    let d = a - b
    return (d * d).sum().squareRoot()
}
