internal import CWebP
import Foundation

/// The funnel for libwebp (STYLE.md §2). libwebp reports failure by status codes, not longjmp,
/// so it is called directly from here; each failure becomes an `ImageIOError` naming the file.
enum WebPCodec {
    /// The largest side libwebp encodes (`WEBP_MAX_DIMENSION`).
    static let maxSide = Int(WEBP_MAX_DIMENSION)

    /// What the bitstream header says (`WebPGetFeatures`).
    struct Features {
        var width: Int
        var height: Int
        var hasAlpha: Bool
        var lossless: Bool
    }

    /// - Throws: `.decode` for a damaged header, `.unsupported` for an animation.
    static func features(of bytes: Data, path: String) throws -> Features {
        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBytes {
            WebPGetFeatures($0.bindMemory(to: UInt8.self).baseAddress, $0.count, &features)
        }
        guard status == VP8_STATUS_OK else { throw ImageIOError.decode(path: path, reason: describe(status)) }
        guard features.has_animation == 0 else {
            throw ImageIOError.unsupported(path: path, reason: "an animated WebP (only still images are read)")
        }
        return Features(
            width: Int(features.width), height: Int(features.height), hasAlpha: features.has_alpha != 0,
            lossless: features.format == 2)
    }

    /// Decodes the whole image as 8-bit RGB, or RGBA when it has alpha (`WebPDecodeRGBInto`,
    /// `WebPDecodeRGBAInto`).
    static func decode(_ bytes: Data, features: Features, path: String) throws -> Raster {
        let layout: ChannelLayout = features.hasAlpha ? .rgba : .rgb
        let stride = features.width * layout.channelCount
        var pixels = [UInt8](repeating: 0, count: stride * features.height)
        let decoded = bytes.withUnsafeBytes { input in
            pixels.withUnsafeMutableBufferPointer { output in
                let data = input.bindMemory(to: UInt8.self).baseAddress
                return features.hasAlpha
                    ? WebPDecodeRGBAInto(data, input.count, output.baseAddress, output.count, Int32(stride))
                    : WebPDecodeRGBInto(data, input.count, output.baseAddress, output.count, Int32(stride))
            }
        }
        guard decoded != nil else {
            // The simple API does not say why; the status of a full decode does.
            var config = WebPDecoderConfig()
            _ = WebPInitDecoderConfig(&config)
            let status = bytes.withUnsafeBytes {
                WebPDecode($0.bindMemory(to: UInt8.self).baseAddress, $0.count, &config)
            }
            WebPFreeDecBuffer(&config.output)
            throw ImageIOError.decode(
                path: path, reason: status == VP8_STATUS_OK ? "decoding failed" : describe(status))
        }
        return Raster(interleaved8: pixels, width: features.width, height: features.height, layout: layout)
    }

    /// Encodes interleaved 8-bit RGB or RGBA (`WebPEncodeRGB`, `WebPEncodeRGBA`; their lossless
    /// forms when `lossless`).
    /// - Throws: `.encode` when libwebp fails (it says no more than that).
    static func encode(
        _ pixels: [UInt8], width: Int, height: Int, alpha: Bool, quality: Int, lossless: Bool, path: String
    ) throws -> Data {
        let stride = Int32(width * (alpha ? 4 : 3))
        var output: UnsafeMutablePointer<UInt8>?
        let size = pixels.withUnsafeBufferPointer { input -> Int in
            let (data, w, h) = (input.baseAddress, Int32(width), Int32(height))
            switch (alpha, lossless) {
            case (false, false): return WebPEncodeRGB(data, w, h, stride, Float(quality), &output)
            case (true, false): return WebPEncodeRGBA(data, w, h, stride, Float(quality), &output)
            case (false, true): return WebPEncodeLosslessRGB(data, w, h, stride, &output)
            case (true, true): return WebPEncodeLosslessRGBA(data, w, h, stride, &output)
            }
        }
        defer { WebPFree(output) }
        guard size > 0, let output else { throw ImageIOError.encode(path: path, reason: "libwebp could not encode it") }
        return Data(bytes: output, count: size)
    }

    /// libwebp's status codes in words.
    private static func describe(_ status: VP8StatusCode) -> String {
        switch status {
        case VP8_STATUS_OUT_OF_MEMORY: return "out of memory"
        case VP8_STATUS_INVALID_PARAM: return "invalid parameter"
        case VP8_STATUS_BITSTREAM_ERROR: return "corrupt WebP bitstream"
        case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported WebP feature"
        case VP8_STATUS_SUSPENDED: return "decoding suspended"
        case VP8_STATUS_USER_ABORT: return "decoding aborted"
        case VP8_STATUS_NOT_ENOUGH_DATA: return "not enough data: truncated?"
        default: return "WebP status \(status.rawValue)"
        }
    }
}
