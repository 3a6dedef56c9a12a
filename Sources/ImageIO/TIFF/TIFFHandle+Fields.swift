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
