internal import CTIFF

/// Names for the Compression tag, as `atelier info` prints them.
enum TIFFCompressionName {
    /// libtiff's codec name in lower case (`TIFFFindCODEC`), or "compression N" for a scheme
    /// this libtiff does not know.
    static func name(of scheme: UInt16) -> String {
        if Int32(scheme) == COMPRESSION_NONE { return "none" }
        if Int32(scheme) == COMPRESSION_ADOBE_DEFLATE || Int32(scheme) == COMPRESSION_DEFLATE { return "deflate" }
        guard let codec = TIFFFindCODEC(scheme), let name = codec.pointee.name else { return "compression \(scheme)" }
        return String(cString: name).lowercased()
    }
}
