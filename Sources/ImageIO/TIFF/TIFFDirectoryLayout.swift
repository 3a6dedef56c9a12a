internal import CTIFF

/// How the current directory of a TIFF stores its pixels, read and checked from its tags, so
/// that region reads can trust every number (a fuzzed tile width of 0 must not divide by zero).
struct TIFFDirectoryLayout: Equatable {
    var width: Int
    var height: Int
    var layout: ChannelLayout
    var bitDepth: BitDepth
    /// Samples per pixel as stored (≥ `layout.channelCount`; extra samples beyond alpha are dropped).
    var samplesPerPixel: Int
    /// PlanarConfiguration = separate: one plane per sample, each with its own strips/tiles.
    var planar: Bool
    /// The strip or tile size: a strip is `width` × rows-per-strip.
    var chunkWidth: Int
    var chunkHeight: Int
    var tiled: Bool
    var compression: UInt16
    /// PhotometricInterpretation = MinIsWhite: gray values are inverted on read.
    var invertsGray: Bool
    /// Bytes of one fully decoded strip or tile (edge tiles are padded to full size).
    var chunkBytes: Int

    /// The tiling as ImageInfo reports it.
    var tiling: ImageInfo.Tiling {
        tiled ? .tiles(width: chunkWidth, height: chunkHeight) : .strips(rowsPerStrip: chunkHeight)
    }

    /// Reads the current directory's tags.
    /// - Throws: `.unsupported` for sample formats, depths and colour models ImageIO does not
    ///   read; `.decode` for inconsistent tags.
    init(handle: TIFFHandle) throws {
        let path = handle.path
        func unsupported(_ reason: String) -> ImageIOError { .unsupported(path: path, reason: reason) }
        func corrupt(_ reason: String) -> ImageIOError { .decode(path: path, reason: reason) }

        guard let width = handle.uint32Field(TIFFTAG_IMAGEWIDTH), let height = handle.uint32Field(TIFFTAG_IMAGELENGTH),
            width > 0, height > 0
        else { throw corrupt("missing or zero image size") }
        self.width = Int(width)
        self.height = Int(height)

        let sampleFormat = handle.uint16Field(TIFFTAG_SAMPLEFORMAT) ?? UInt16(SAMPLEFORMAT_UINT)
        guard sampleFormat == SAMPLEFORMAT_UINT else {
            let name = [SAMPLEFORMAT_INT: "signed integer", SAMPLEFORMAT_IEEEFP: "floating-point"][Int32(sampleFormat)]
            throw unsupported("\(name ?? "sample format \(sampleFormat)") samples (only unsigned integers are read)")
        }
        let bits = Int(handle.uint16Field(TIFFTAG_BITSPERSAMPLE) ?? 1)
        guard let depth = BitDepth(rawValue: bits) else {
            throw unsupported("\(bits) bits per sample (only 8 and 16 are read)")
        }
        bitDepth = depth

        compression = handle.uint16Field(TIFFTAG_COMPRESSION) ?? UInt16(COMPRESSION_NONE)
        guard TIFFIsCODECConfigured(compression) == 1 else {
            throw unsupported("compression \(compression), which this libtiff cannot decode")
        }

        samplesPerPixel = Int(handle.uint16Field(TIFFTAG_SAMPLESPERPIXEL) ?? 1)
        let photometric = Int32(
            handle.uint16Field(TIFFTAG_PHOTOMETRIC)
                ?? UInt16(samplesPerPixel >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK))
        let colourChannels: Int
        switch photometric {
        case PHOTOMETRIC_MINISBLACK, PHOTOMETRIC_MINISWHITE: colourChannels = 1
        case PHOTOMETRIC_RGB: colourChannels = 3
        case PHOTOMETRIC_YCBCR where compression == COMPRESSION_JPEG:
            // libtiff's JPEG codec converts to RGB on decode when asked to.
            try handle.setField(TIFFTAG_JPEGCOLORMODE, Int32(JPEGCOLORMODE_RGB))
            colourChannels = 3
        default:
            let names: [Int32: String] = [
                PHOTOMETRIC_PALETTE: "palette colour", PHOTOMETRIC_SEPARATED: "CMYK (separated)",
                PHOTOMETRIC_YCBCR: "YCbCr without JPEG compression", PHOTOMETRIC_CIELAB: "CIE L*a*b*",
                PHOTOMETRIC_MASK: "transparency mask",
            ]
            throw unsupported(
                "\(names[photometric] ?? "photometric interpretation \(photometric)") images (gray and RGB are read)")
        }
        invertsGray = photometric == PHOTOMETRIC_MINISWHITE
        guard samplesPerPixel >= colourChannels else {
            throw corrupt("\(samplesPerPixel) samples per pixel for \(colourChannels) colour channels")
        }
        // The first extra sample is alpha when there is one; further extra samples are ignored.
        let hasAlpha = samplesPerPixel > colourChannels
        layout = (colourChannels == 1 ? ChannelLayout.gray : .rgb).withAlpha(hasAlpha)

        planar = handle.uint16Field(TIFFTAG_PLANARCONFIG).map { Int32($0) == PLANARCONFIG_SEPARATE } ?? false
        tiled = TIFFIsTiled(handle.raw) != 0
        if tiled {
            chunkWidth = Int(handle.uint32Field(TIFFTAG_TILEWIDTH) ?? 0)
            chunkHeight = Int(handle.uint32Field(TIFFTAG_TILELENGTH) ?? 0)
        } else {
            chunkWidth = self.width
            chunkHeight = min(Int(handle.uint32Field(TIFFTAG_ROWSPERSTRIP) ?? height), self.height)
        }
        guard chunkWidth > 0, chunkHeight > 0 else { throw corrupt("zero strip or tile size") }
        // Tag values are untrusted: the product is checked so that a fuzzed size cannot trap.
        let factors = [chunkHeight, planar ? 1 : samplesPerPixel, depth.bytesPerSample]
        var bytes = chunkWidth
        for factor in factors {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw corrupt("strip or tile size overflows") }
            bytes = product
        }
        chunkBytes = bytes
    }

    /// Samples per pixel in one decoded chunk: all of them (chunky) or one (planar).
    var samplesPerChunkPixel: Int { planar ? 1 : samplesPerPixel }
    /// Planes to decode for a region: one per sample when planar, capped at the raster's channels.
    var planesToRead: Range<Int> { planar ? 0..<layout.channelCount : 0..<1 }

    /// The strip or tile rectangles (in image coordinates, unclipped) that meet `region`.
    func chunks(meeting region: PixelRect) -> [PixelRect] {
        let firstColumn = region.x / chunkWidth
        let lastColumn = (region.maxX - 1) / chunkWidth
        let firstRow = region.y / chunkHeight
        let lastRow = (region.maxY - 1) / chunkHeight
        var result: [PixelRect] = []
        for row in firstRow...lastRow {
            for column in firstColumn...lastColumn {
                result.append(
                    PixelRect(x: column * chunkWidth, y: row * chunkHeight, width: chunkWidth, height: chunkHeight))
            }
        }
        return result
    }
}
