internal import CImageShims

/// The funnel for libpng (STYLE.md §2): every call into the PNG shims goes through `call`, which
/// maps a non-OK `CImageShims_PNGStatus` to an `ImageIOError` (see `ShimCall.run`).
enum PNGShim {
    typealias Direction = ShimCall.Direction

    /// Runs `body` with a message buffer; "not a PNG file" (bad signature) is a `.decode` error.
    static func call(
        path: String, _ direction: Direction,
        _ body: (UnsafeMutablePointer<CChar>, Int) -> CImageShims_PNGStatus
    ) throws {
        try ShimCall.run(
            path: path, direction, ok: CImageShims_PNGStatusOK, ioError: CImageShims_PNGStatusIOError, body)
    }
}
