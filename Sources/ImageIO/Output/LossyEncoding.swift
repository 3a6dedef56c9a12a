/// What JPEG and WebP writers check before encoding.
enum LossyEncoding {
    /// - Throws: `.encode` naming `path` when `quality` is outside 1…100 or a side of `raster` is
    ///   above what `format` holds.
    static func check(_ raster: Raster, quality: Int, format: OutputFormat, path: String) throws {
        guard (1...100).contains(quality) else {
            throw ImageIOError.encode(path: path, reason: "quality \(quality) is not in 1…100")
        }
        if let limit = format.maximumSide, max(raster.width, raster.height) > limit {
            throw ImageIOError.encode(
                path: path,
                reason: "\(format.name) holds at most \(limit) pixels a side, not"
                    + " \(raster.width)x\(raster.height)")
        }
    }
}
