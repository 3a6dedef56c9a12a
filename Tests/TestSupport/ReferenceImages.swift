import Foundation

/// Reference images made by independent writers (tifffile, Pillow, a small PNG encoder written
/// straight from the PNG specification, libtiff's `tiffcp`), each with its pixels as raw
/// interleaved bytes (uint8, or little-endian uint16) so tests can demand exact equality.
/// Pixels are pseudo-random from a fixed numpy seed: deterministic, and every bit matters.
public enum ReferenceImages {
    /// Pixels expected from a reference file: interleaved, row-major.
    public struct Pixels {
        public var width: Int
        public var height: Int
        public var channels: Int
        public var bits: Int
        public var bytes: Data

        /// 16-bit samples as numbers.
        public var samples16: [UInt16] { bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) } }
        public var samples8: [UInt8] { [UInt8](bytes) }
    }

    /// Writes `path` with tifffile. `options` are Python keyword arguments for
    /// `tifffile.imwrite`, e.g. `"tile=(32, 32), compression='zlib'"`; `planar` stores one plane
    /// per sample.
    public static func tifffile(
        _ path: String, width: Int, height: Int, channels: Int, bits: Int, seed: Int = 1, planar: Bool = false,
        options: String = ""
    ) throws -> Pixels {
        try make([
            "tifffile", path, "\(width)", "\(height)", "\(channels)", "\(bits)", "\(seed)", planar ? "1" : "0", options,
        ])
    }

    /// Writes `path` with the specification-level PNG encoder (colour types 0, 2, 4, 6 at 8 or
    /// 16 bits, optionally Adam7-interlaced): independent of libpng.
    public static func png(
        _ path: String, width: Int, height: Int, channels: Int, bits: Int, seed: Int = 1, interlaced: Bool = false
    ) throws -> Pixels {
        try make(["png", path, "\(width)", "\(height)", "\(channels)", "\(bits)", "\(seed)", interlaced ? "1" : "0"])
    }

    /// Writes a palette PNG with Pillow (with a tRNS chunk when `transparent`); the expected
    /// pixels are the palette looked up in numpy (RGB, or RGBA when transparent).
    public static func palettePNG(_ path: String, width: Int, height: Int, transparent: Bool, seed: Int = 1) throws
        -> Pixels
    {
        try make(["palette", path, "\(width)", "\(height)", transparent ? "1" : "0", "\(seed)"])
    }

    /// Reads `path` with tifffile (pyramid `level`, 0 for full size) and returns its pixels.
    public static func readWithTifffile(_ path: String, level: Int = 0) throws -> Pixels {
        try make(["read", path, "\(level)"])
    }

    /// Reads `path` with Pillow and returns its pixels (8-bit modes).
    public static func readWithPillow(_ path: String) throws -> Pixels {
        try make(["pillow-read", path])
    }

    /// Per-channel minimum, maximum and mean of a TIFF as tifffile decodes it and numpy computes
    /// them (in Float64).
    public static func numpyStatistics(_ path: String) throws -> [(min: Int, max: Int, mean: Double)] {
        let output = try ReferenceTool.python(
            """
            import sys, numpy, tifffile
            with tifffile.TiffFile(sys.argv[1]) as t:
                series = t.series[0]
                a = series.asarray()
            if series.axes.startswith('S'):  # planar: samples first
                a = numpy.moveaxis(a, 0, -1)
            a = (a if a.ndim == 3 else a[:, :, None]).astype('float64')
            for c in range(a.shape[2]): print(int(a[:, :, c].min()), int(a[:, :, c].max()), repr(a[:, :, c].mean()))
            """, [path])
        return output.split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (Int(fields[0])!, Int(fields[1])!, Double(fields[2])!)
        }
    }

    /// The raw bytes land beside the image as `<path>.raw`; stdout says their shape.
    private static func make(_ arguments: [String]) throws -> Pixels {
        let output = try ReferenceTool.python(script, arguments)
        let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 4 else { throw ReferenceTool.Failure(description: "unexpected output: \(output)") }
        let rawPath =
            (arguments[0] == "read" || arguments[0] == "pillow-read" ? arguments[1] + ".read" : arguments[1]) + ".raw"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: rawPath))
        try? FileManager.default.removeItem(atPath: rawPath)
        return Pixels(width: numbers[1], height: numbers[0], channels: numbers[2], bits: numbers[3], bytes: bytes)
    }

    static let script = #"""
        import sys, struct, zlib
        import numpy as np

        def pixels(h, w, c, bits, seed):
            rng = np.random.RandomState(seed)
            return rng.randint(0, 1 << bits, size=(h, w, c)).astype(np.uint8 if bits == 8 else np.uint16)

        def done(path, a):
            a = np.ascontiguousarray(a)
            if a.ndim == 2:
                a = a[:, :, None]
            a.astype(a.dtype.newbyteorder('<')).tofile(path + '.raw')
            print(a.shape[0], a.shape[1], a.shape[2], a.dtype.itemsize * 8)

        def chunk(kind, data):
            return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

        def write_png(path, a, bits, interlaced):
            h, w, c = a.shape
            stored = a.astype('>u2') if bits == 16 else a.astype('u1')
            def scanlines(sub):
                return b''.join(b'\x00' + sub[y].tobytes() for y in range(sub.shape[0]))
            if interlaced:
                passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
                raw = b''.join(scanlines(stored[y0::dy, x0::dx]) for (x0, y0, dx, dy) in passes if stored[y0::dy, x0::dx].size)
            else:
                raw = scanlines(stored)
            header = struct.pack('>IIBBBBB', w, h, bits, {1: 0, 2: 4, 3: 2, 4: 6}[c], 0, 0, 1 if interlaced else 0)
            with open(path, 'wb') as f:
                f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))

        mode, path = sys.argv[1], sys.argv[2]
        if mode == 'tifffile':
            import tifffile
            w, h, c, bits, seed, planar = map(int, sys.argv[3:9])
            a = pixels(h, w, c, bits, seed)
            kwargs = eval('dict(' + sys.argv[9] + ')')
            photometric = 'rgb' if c >= 3 else 'minisblack'
            extra = ['unassalpha'] if c in (2, 4) else None
            data = np.moveaxis(a, -1, 0) if planar else (a if c > 1 else a[:, :, 0])
            tifffile.imwrite(path, data, photometric=photometric, planarconfig='separate' if planar else 'contig',
                             extrasamples=extra, metadata=None, **kwargs)
            done(path, a)
        elif mode == 'png':
            w, h, c, bits, seed, interlaced = map(int, sys.argv[3:9])
            a = pixels(h, w, c, bits, seed)
            write_png(path, a, bits, interlaced == 1)
            done(path, a)
        elif mode == 'palette':
            from PIL import Image
            w, h, transparent, seed = map(int, sys.argv[3:7])
            rng = np.random.RandomState(seed)
            palette = rng.randint(0, 256, size=(16, 3)).astype(np.uint8)
            alpha = rng.randint(0, 256, size=16).astype(np.uint8)
            index = rng.randint(0, 16, size=(h, w)).astype(np.uint8)
            im = Image.fromarray(index, 'P')
            im.putpalette(palette.tobytes())
            if transparent:
                im.save(path, transparency=alpha.tobytes())
                done(path, np.concatenate([palette[index], alpha[index][:, :, None]], axis=2))
            else:
                im.save(path)
                done(path, palette[index])
        elif mode == 'read':
            import tifffile
            level = int(sys.argv[3])
            with tifffile.TiffFile(path) as t:
                series = t.series[0].levels[level]
                a = series.asarray()
            if series.axes.startswith('S'):  # planar: samples first
                a = np.moveaxis(a, 0, -1)
            done(path + '.read', a)
        elif mode == 'pillow-read':
            from PIL import Image
            done(path + '.read', np.asarray(Image.open(path)))
        """#
}
