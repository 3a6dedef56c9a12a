internal import CTIFF

/// Tag access. `TIFFGetField`/`TIFFSetField` are C variadic functions, which Swift cannot call;
/// their `va_list` forms `TIFFVGetFieldDefaulted`/`TIFFVSetField` are called with `withVaList`.
/// C's default argument promotions apply: a `uint16_t` tag value is passed as an `Int32`.
extension TIFFHandle {
    /// A `uint16_t` tag (libtiff's default when the file omits it), or nil when absent.
    func uint16Field(_ tag: Int32) -> UInt16? {
        var value: UInt16 = 0
        let found = withUnsafeMutablePointer(to: &value) { pointer in
            withVaList([pointer]) { TIFFVGetFieldDefaulted(raw, UInt32(tag), $0) }
        }
        return found == 1 ? value : nil
    }

    /// A `uint32_t` tag (with libtiff's default), or nil when absent.
    func uint32Field(_ tag: Int32) -> UInt32? {
        var value: UInt32 = 0
        let found = withUnsafeMutablePointer(to: &value) { pointer in
            withVaList([pointer]) { TIFFVGetFieldDefaulted(raw, UInt32(tag), $0) }
        }
        return found == 1 ? value : nil
    }

    /// A counted array tag such as ExtraSamples (`uint16_t` count, `T*` values), or [] when absent.
    func arrayField<Element>(_ tag: Int32, of _: Element.Type) -> [Element] {
        var count: UInt16 = 0
        var values: UnsafeMutablePointer<Element>?
        let found = withUnsafeMutablePointer(to: &count) { countPointer in
            withUnsafeMutablePointer(to: &values) { valuesPointer in
                withVaList([countPointer, valuesPointer]) { TIFFVGetFieldDefaulted(raw, UInt32(tag), $0) }
            }
        }
        guard found == 1, let values else { return [] }
        return Array(UnsafeBufferPointer(start: values, count: Int(count)))
    }

    /// Sets a tag from already-promoted C variadic arguments (`TIFFVSetField`).
    func setField(_ tag: Int32, _ arguments: CVarArg...) throws {
        try check("TIFFSetField(\(tag))") { tiff in withVaList(arguments) { TIFFVSetField(tiff, UInt32(tag), $0) } }
    }
}

extension TIFFHandle {
    /// The tags every image Atelier writes shares, tiled or in strips: size, unsigned 8/16-bit
    /// chunky samples, grey or RGB, unassociated alpha as the extra sample, Deflate with the
    /// horizontal predictor.
    func setImageFields(width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth) throws {
        try setField(TIFFTAG_IMAGEWIDTH, UInt32(width))
        try setField(TIFFTAG_IMAGELENGTH, UInt32(height))
        try setField(TIFFTAG_BITSPERSAMPLE, Int32(bitDepth.rawValue))
        try setField(TIFFTAG_SAMPLESPERPIXEL, Int32(layout.channelCount))
        try setField(TIFFTAG_SAMPLEFORMAT, Int32(SAMPLEFORMAT_UINT))
        try setField(TIFFTAG_PLANARCONFIG, Int32(PLANARCONFIG_CONTIG))
        let colour = layout.colourChannelCount == 1 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB
        try setField(TIFFTAG_PHOTOMETRIC, Int32(colour))
        if layout.hasAlpha {
            // Alpha is not premultiplied: Atelier carries it through untouched.
            var extra = [UInt16(EXTRASAMPLE_UNASSALPHA)]
            try extra.withUnsafeMutableBufferPointer {
                try setField(TIFFTAG_EXTRASAMPLES, Int32(1), $0.baseAddress!)
            }
        }
        try setField(TIFFTAG_COMPRESSION, Int32(COMPRESSION_ADOBE_DEFLATE))
        try setField(TIFFTAG_PREDICTOR, Int32(PREDICTOR_HORIZONTAL))
    }
}
