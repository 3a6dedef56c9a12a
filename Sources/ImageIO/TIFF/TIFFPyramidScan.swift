internal import CTIFF

/// Finds the reduced-resolution levels of the first image: the SubIFDs of IFD 0 (as Atelier,
/// libvips and OME-TIFF write them) or, when there are none, the further top-level IFDs whose
/// NewSubfileType says "reduced image" (as older writers chain them). Leaves the handle on IFD 0.
struct TIFFPyramidScan {
    enum Location {
        case subIFD(offset: UInt64)
        case directory(index: UInt32)
    }

    private(set) var locations: [Location] = []
    private(set) var sizes: [PixelSize] = []

    init(handle: TIFFHandle) throws {
        let offsets = handle.arrayField(TIFFTAG_SUBIFD, of: UInt64.self)
        if !offsets.isEmpty {
            locations = offsets.map { .subIFD(offset: $0) }
        } else {
            var index: UInt32 = 1
            // Bounded by libtiff's own IFD loop detection; a cap keeps a fuzzed chain short.
            while index < 64, TIFFSetDirectory(handle.raw, index) == 1 {
                let subfileType = handle.uint32Field(TIFFTAG_SUBFILETYPE) ?? 0
                if subfileType & UInt32(FILETYPE_REDUCEDIMAGE) != 0 { locations.append(.directory(index: index)) }
                index += 1
            }
        }
        for level in locations.indices {
            try select(level: level + 1, on: handle)
            let width = Int(handle.uint32Field(TIFFTAG_IMAGEWIDTH) ?? 0)
            let height = Int(handle.uint32Field(TIFFTAG_IMAGELENGTH) ?? 0)
            sizes.append(PixelSize(width: width, height: height))
        }
        try handle.check("TIFFSetDirectory(0)") { TIFFSetDirectory($0, 0) }
        _ = handle.diagnostics.takeErrors()
    }

    /// Makes pyramid `level` (1-based; 0 is IFD 0) the handle's current directory.
    func select(level: Int, on handle: TIFFHandle) throws {
        switch level == 0 ? .directory(index: 0) : locations[level - 1] {
        case .subIFD(let offset): try handle.check("TIFFSetSubDirectory") { TIFFSetSubDirectory($0, offset) }
        case .directory(let index): try handle.check("TIFFSetDirectory") { TIFFSetDirectory($0, index) }
        }
    }
}
