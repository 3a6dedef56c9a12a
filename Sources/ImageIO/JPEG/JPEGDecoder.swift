internal import CImageShims

/// An open JPEG: libjpeg's decompress struct, freed in `deinit` (memory only: nothing to flush,
/// STYLE.md §4). The header, the Exif payload and the ICC profile are known on open; `decode()`
/// reads the pixels as stored (orientation is the reader's business).
final class JPEGDecoder {
    let path: String
    let header: CImageShims_JPEGHeader
    private let decoder: OpaquePointer

    /// Opens `path` and reads its header and markers (`CImageShims_jpeg_decoder_open`).
    init(path: String) throws {
        var decoder: OpaquePointer?
        var header = CImageShims_JPEGHeader()
        try JPEGShim.call(path: path, .reading) {
            CImageShims_jpeg_decoder_open(path, &decoder, &header, $0, $1)
        }
        self.path = path
        self.header = header
        self.decoder = decoder!
    }

    deinit { CImageShims_jpeg_decoder_free(decoder) }

    var width: Int { Int(header.width) }
    var height: Int { Int(header.height) }
    var progressive: Bool { header.progressive != 0 }

    /// The Exif TIFF structure of the first Exif APP1 segment, or [] (`CImageShims_jpeg_decoder_exif`).
    var exif: [UInt8] {
        var length = 0
        guard let bytes = CImageShims_jpeg_decoder_exif(decoder, &length) else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// The embedded ICC profile, or nil (`CImageShims_jpeg_decoder_icc`).
    var iccProfile: [UInt8]? {
        var length = 0
        guard let bytes = CImageShims_jpeg_decoder_icc(decoder, &length), length > 0 else { return nil }
        return Array(UnsafeBufferPointer(start: bytes, count: length))
    }

    /// Grey or RGB (YCbCr is decoded to RGB).
    /// - Throws: `.unsupported` for CMYK/YCCK and any other colour model.
    func layout() throws -> ChannelLayout {
        switch header.colour {
        case CImageShims_JPEGColourGray: return .gray
        case CImageShims_JPEGColourRGB: return .rgb
        case CImageShims_JPEGColourCMYK:
            throw ImageIOError.unsupported(path: path, reason: "a CMYK JPEG (convert it to RGB first)")
        default:
            throw ImageIOError.unsupported(path: path, reason: "a JPEG in an unknown colour model")
        }
    }

    /// Decodes every pixel at 8 bits (`CImageShims_jpeg_decoder_read`). Refuses images above
    /// `limits.maxInMemoryPixels` before allocating.
    func decode(limits: ImageLimits) throws -> Raster {
        try limits.check(width: width, height: height, path: path)
        let layout = try layout()
        var bytes = [UInt8](repeating: 0, count: width * height * layout.channelCount)
        try bytes.withUnsafeMutableBufferPointer { pixels in
            try JPEGShim.call(path: path, .reading) {
                CImageShims_jpeg_decoder_read(decoder, pixels.baseAddress, pixels.count, $0, $1)
            }
        }
        return Raster(interleaved8: bytes, width: width, height: height, layout: layout)
    }
}
