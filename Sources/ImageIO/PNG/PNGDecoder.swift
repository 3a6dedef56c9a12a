internal import CImageShims

/// An open PNG: libpng's read structs, freed in `deinit` (memory only: nothing to flush, so no
/// `close()`, STYLE.md §4). The header is known on open; `decode()` reads the pixels.
final class PNGDecoder {
    let path: String
    let header: CImageShims_PNGHeader
    private let decoder: OpaquePointer

    /// Opens `path` and reads its header (`CImageShims_png_decoder_open`).
    init(path: String) throws {
        var decoder: OpaquePointer?
        var header = CImageShims_PNGHeader()
        try PNGShim.call(path: path, .reading) {
            CImageShims_png_decoder_open(path, &decoder, &header, $0, $1)
        }
        self.path = path
        self.header = header
        self.decoder = decoder!
    }

    deinit { CImageShims_png_decoder_free(decoder) }

    var width: Int { Int(header.width) }
    var height: Int { Int(header.height) }
    var interlaced: Bool { header.interlaced != 0 }

    /// The layout and depth after libpng's expanding transforms.
    func format() throws -> (layout: ChannelLayout, bitDepth: BitDepth) {
        guard let layout = ChannelLayout(channelCount: Int(header.channels)),
            let depth = BitDepth(rawValue: Int(header.bitDepth))
        else {
            throw ImageIOError.unsupported(
                path: path, reason: "\(header.channels) channels of \(header.bitDepth) bits after expansion")
        }
        return (layout, depth)
    }

    /// Decodes every pixel (`CImageShims_png_decoder_read`, which reads to IEND so that a
    /// truncated file fails). Refuses images above `limits.maxInMemoryPixels` before allocating.
    func decode(limits: ImageLimits) throws -> Raster {
        try limits.check(width: width, height: height, path: path)
        let (layout, depth) = try format()
        let rowBytes = Int(header.rowBytes)
        guard rowBytes == width * layout.channelCount * depth.bytesPerSample else {
            throw ImageIOError.decode(path: path, reason: "unexpected row size \(rowBytes)")
        }
        var bytes = [UInt8](repeating: 0, count: rowBytes * height)
        try bytes.withUnsafeMutableBufferPointer { pixels in
            try PNGShim.call(path: path, .reading) {
                CImageShims_png_decoder_read(decoder, pixels.baseAddress, pixels.count, $0, $1)
            }
        }
        switch depth {
        case .eight:
            return Raster(interleaved8: bytes, width: width, height: height, layout: layout)
        case .sixteen:
            let values = bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }
            return Raster(interleaved16: values, width: width, height: height, layout: layout)
        }
    }
}
