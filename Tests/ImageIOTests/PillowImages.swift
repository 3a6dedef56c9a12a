import Foundation
import TestSupport

/// JPEG and WebP files written by Pillow (the independent reference), with the pixels Pillow
/// started from and the pixels Pillow decodes back, turned by `ImageOps.exif_transpose`.
enum PillowImages {
    /// 8-bit interleaved pixels, row-major.
    struct Pixels {
        var width: Int
        var height: Int
        var channels: Int
        var samples: [UInt8]
    }

    struct Written {
        /// The array Pillow saved, as stored (before any orientation).
        var source: Pixels
        /// What Pillow reads back from the file, turned the way its Exif orientation says.
        var decoded: Pixels
    }

    /// What goes into the file beside the pixels.
    struct Options {
        /// "JPEG" or "WEBP".
        var format: String
        /// 1 grey, 3 RGB, 4 RGBA (WebP), or "CMYK" via `cmyk`.
        var channels = 3
        var quality = 95
        var lossless = false
        /// The Exif Orientation tag to write (0: no Exif).
        var orientation = 0
        /// "srgb" (lcms's built-in sRGB), a description for a made-up RGB profile, or nil.
        var iccProfile: String?
        var cmyk = false
    }

    /// Saves a `width`×`height` pattern (smooth gradients plus a little texture, so lossy codecs
    /// stay close) at `path`.
    static func write(_ path: String, width: Int, height: Int, _ options: Options) throws -> Written {
        try ReferenceTool.python(
            script,
            [
                path, options.format, "\(width)", "\(height)", "\(options.channels)", "\(options.quality)",
                options.lossless ? "1" : "0", "\(options.orientation)", options.iccProfile ?? "-",
                options.cmyk ? "1" : "0",
            ])
        return Written(source: try raw(path + ".source"), decoded: try raw(path + ".decoded"))
    }

    /// Reads `path` with Pillow, turned by `ImageOps.exif_transpose`.
    static func read(_ path: String) throws -> Pixels {
        try ReferenceTool.python(
            """
            import sys, numpy as np
            from PIL import Image, ImageOps
            a = np.asarray(ImageOps.exif_transpose(Image.open(sys.argv[1])))
            a = a if a.ndim == 3 else a[:, :, None]
            np.ascontiguousarray(a).tofile(sys.argv[1] + '.pillow.raw')
            open(sys.argv[1] + '.pillow.shape', 'w').write('%d %d %d' % a.shape)
            """, [path])
        return try raw(path + ".pillow")
    }

    private static func raw(_ stem: String) throws -> Pixels {
        let shape = try String(contentsOfFile: stem + ".shape", encoding: .utf8).split(separator: " ").map { Int($0)! }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: stem + ".raw"))
        try? FileManager.default.removeItem(atPath: stem + ".raw")
        try? FileManager.default.removeItem(atPath: stem + ".shape")
        return Pixels(width: shape[1], height: shape[0], channels: shape[2], samples: [UInt8](bytes))
    }

    private static let script = #"""
        import sys, struct, numpy as np
        from PIL import Image, ImageOps
        path, fmt = sys.argv[1], sys.argv[2]
        w, h, c, quality, lossless, orientation = map(int, sys.argv[3:9])
        icc, cmyk = sys.argv[9], sys.argv[10] == '1'
        y, x = np.mgrid[0:h, 0:w].astype('float64')
        planes = [128 + 90 * np.sin(x / (5.0 + 2 * k) + k) * np.cos(y / (7.0 + k)) + 4 * ((x + 2 * y + k) % 3 - 1)
                  for k in range(c)]
        a = np.clip(np.stack(planes, axis=2), 0, 255).round().astype(np.uint8)
        mode = {1: 'L', 3: 'RGB', 4: 'RGBA'}[c]
        im = Image.fromarray(a if c > 1 else a[:, :, 0], mode)
        kwargs = {}
        if fmt == 'JPEG':
            kwargs['quality'] = quality
        else:
            kwargs.update(quality=quality, lossless=bool(lossless), exact=True)
        if orientation:
            exif = Image.Exif()
            exif[0x0112] = orientation
            kwargs['exif'] = exif.tobytes()
        if icc == 'srgb':
            from PIL import ImageCms
            kwargs['icc_profile'] = ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()
        elif icc != '-':
            text = icc.encode('ascii') + b'\0'
            tag = b'desc' + b'\0' * 4 + struct.pack('>I', len(text)) + text + b'\0' * 79
            size = struct.pack('>I', 128 + 4 + 12 + len(tag))
            header = size + b'none' + b'\x02\x10\0\0' + b'mntr' + b'RGB ' + b'XYZ '
            header += b'\0' * (36 - len(header)) + b'acsp' + b'\0' * (128 - 40)
            kwargs['icc_profile'] = header + struct.pack('>I', 1) + b'desc' + struct.pack('>II', 144, len(tag)) + tag
        if cmyk:
            im = im.convert('CMYK')
        im.save(path, fmt, **kwargs)
        def done(stem, arr):
            arr = arr if arr.ndim == 3 else arr[:, :, None]
            np.ascontiguousarray(arr).tofile(stem + '.raw')
            open(stem + '.shape', 'w').write('%d %d %d' % arr.shape)
        done(path + '.source', a)
        back = Image.open(path)
        done(path + '.decoded', np.asarray(ImageOps.exif_transpose(back) if not cmyk else back.convert('RGB')))
        """#
}
