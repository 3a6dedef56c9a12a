internal import CImageShims

/// The funnel for libjpeg (STYLE.md §2): every call into the JPEG shims goes through `call`, which
/// maps a non-OK `CImageShims_JPEGStatus` to an `ImageIOError` (see `ShimCall.run`).
enum JPEGShim {
    static func call(
        path: String, _ direction: ShimCall.Direction,
        _ body: (UnsafeMutablePointer<CChar>, Int) -> CImageShims_JPEGStatus
    ) throws {
        try ShimCall.run(
            path: path, direction, ok: CImageShims_JPEGStatusOK, ioError: CImageShims_JPEGStatusIOError, body)
    }
}
