internal import CImageShims

/// The funnel for libpng (STYLE.md §2): every call into the C shims goes through `call`, which
/// lends the message buffer and turns a non-OK `CImageShims_PNGStatus` into an `ImageIOError`
/// naming the file and carrying libpng's text.
enum PNGShim {
    /// Room for libpng's message; its messages are short.
    static let messageCapacity = 512

    /// Whether a failing call was reading or writing, which picks the error case.
    enum Direction { case reading, writing }

    /// Runs `body` with a message buffer and maps its status.
    /// - Throws: when reading, `.io` if the file cannot be opened and `.decode` for libpng's
    ///   errors (and "not a PNG file" for a bad signature); when writing, `.encode` for any
    ///   failure, so that a bad output is never mistaken for a bad input.
    static func call(
        path: String, _ direction: Direction,
        _ body: (UnsafeMutablePointer<CChar>, Int) -> CImageShims_PNGStatus
    ) throws {
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        if status == CImageShims_PNGStatusOK { return }
        let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch (status, direction) {
        case (CImageShims_PNGStatusIOError, .reading): throw ImageIOError.io(path: path, reason: reason)
        case (_, .reading): throw ImageIOError.decode(path: path, reason: reason)
        case (_, .writing): throw ImageIOError.encode(path: path, reason: reason)
        }
    }
}
