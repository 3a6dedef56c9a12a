/// How a camera says its picture should be turned for display: the Exif Orientation tag (0x0112 in
/// IFD0). Readers apply it, so every consumer sees the picture the right way up, as viewers do.
/// The raw values are Exif's; each case says what to do to the stored pixels.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    case upright = 1
    case mirrorHorizontal = 2
    case rotate180 = 3
    case mirrorVertical = 4
    /// Mirror across the top-left to bottom-right diagonal.
    case transpose = 5
    case rotate90Clockwise = 6
    /// Mirror across the top-right to bottom-left diagonal.
    case transverse = 7
    case rotate90CounterClockwise = 8

    /// Whether the displayed picture's width is the stored height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// The orientation recorded in an Exif TIFF structure (the APP1 payload after "Exif\0\0", or
    /// a WebP EXIF chunk), or `.upright` when there is none or the structure is damaged. Every
    /// offset is checked against the buffer: the bytes come from files nobody vouches for.
    public static func read(exif bytes: [UInt8]) -> ExifOrientation {
        // Some WebP writers keep the JPEG identifier in the chunk.
        let tiff = bytes.starts(with: Array("Exif\0\0".utf8)) ? Array(bytes.dropFirst(6)) : bytes
        guard tiff.count >= 8 else { return .upright }
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): bigEndian = false  // "II"
        case (0x4D, 0x4D): bigEndian = true  // "MM"
        default: return .upright
        }
        func integer(at offset: Int, bytes count: Int) -> Int? {
            guard offset >= 0, count <= tiff.count, offset <= tiff.count - count else { return nil }
            let field = tiff[offset..<offset + count]
            return (bigEndian ? Array(field) : field.reversed()).reduce(0) { $0 << 8 | Int($1) }
        }
        guard integer(at: 2, bytes: 2) == 42, let ifd = integer(at: 4, bytes: 4),
            let entries = integer(at: ifd, bytes: 2)
        else { return .upright }
        for index in 0..<entries {
            let entry = ifd + 2 + 12 * index
            guard let tag = integer(at: entry, bytes: 2) else { return .upright }
            guard tag == 0x0112 else { continue }
            // SHORT (type 3), one value, left-justified in the 4-byte value field.
            guard integer(at: entry + 2, bytes: 2) == 3, integer(at: entry + 4, bytes: 4) == 1,
                let value = integer(at: entry + 8, bytes: 2)
            else { return .upright }
            return ExifOrientation(rawValue: value) ?? .upright
        }
        return .upright
    }

    /// The displayed size of a stored `width`×`height` picture.
    public func displayedSize(width: Int, height: Int) -> PixelSize {
        swapsAxes ? PixelSize(width: height, height: width) : PixelSize(width: width, height: height)
    }

    /// `raster` turned the way this orientation says (every channel alike, depth kept).
    public func apply(to raster: Raster) -> Raster {
        guard self != .upright else { return raster }
        let (width, height) = (raster.width, raster.height)
        // Each displayed pixel (x, y) reads stored pixel (sx, sy), an affine map of x and y:
        // sx = originX + x·xFromX + y·xFromY, sy = originY + x·yFromX + y·yFromY.
        let (originX, xFromX, xFromY, originY, yFromX, yFromY): (Int, Int, Int, Int, Int, Int)
        switch self {
        case .upright: (originX, xFromX, xFromY, originY, yFromX, yFromY) = (0, 1, 0, 0, 0, 1)
        case .mirrorHorizontal: (originX, xFromX, xFromY, originY, yFromX, yFromY) = (width - 1, -1, 0, 0, 0, 1)
        case .rotate180: (originX, xFromX, xFromY, originY, yFromX, yFromY) = (width - 1, -1, 0, height - 1, 0, -1)
        case .mirrorVertical: (originX, xFromX, xFromY, originY, yFromX, yFromY) = (0, 1, 0, height - 1, 0, -1)
        case .transpose: (originX, xFromX, xFromY, originY, yFromX, yFromY) = (0, 0, 1, 0, 1, 0)
        case .rotate90Clockwise: (originX, xFromX, xFromY, originY, yFromX, yFromY) = (0, 0, 1, height - 1, -1, 0)
        case .transverse: (originX, xFromX, xFromY, originY, yFromX, yFromY) = (width - 1, 0, -1, height - 1, -1, 0)
        case .rotate90CounterClockwise:
            (originX, xFromX, xFromY, originY, yFromX, yFromY) = (width - 1, 0, -1, 0, 1, 0)
        }
        let size = displayedSize(width: width, height: height)
        let start = originY * width + originX
        let stepX = xFromX + yFromX * width, stepY = xFromY + yFromY * width
        var turned = Raster(width: size.width, height: size.height, layout: raster.layout, bitDepth: raster.bitDepth)
        raster.samples.withUnsafeBufferPointer { source in
            turned.samples.withUnsafeMutableBufferPointer { target in
                for channel in 0..<raster.channelCount {
                    let plane = channel * width * height
                    var out = plane
                    for y in 0..<size.height {
                        var index = plane + start + y * stepY
                        for _ in 0..<size.width {
                            target[out] = source[index]
                            index += stepX
                            out += 1
                        }
                    }
                }
            }
        }
        return turned
    }
}
