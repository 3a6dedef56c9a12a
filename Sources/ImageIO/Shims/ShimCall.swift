/// What the C shims in `CImageShims` share: each call fills a caller's message buffer and returns
/// a status code. `run` lends the buffer and turns a status other than `ok` into an
/// `ImageIOError` naming the file and carrying the library's text. `PNGShim` and `JPEGShim` are
/// the per-library funnels built on it (STYLE.md §2).
enum ShimCall {
    /// Room for libpng's and libjpeg's messages; both are short.
    static let messageCapacity = 512

    /// Whether a failing call was reading or writing, which picks the error case.
    enum Direction { case reading, writing }

    /// Runs `body` with a message buffer and maps its status.
    /// - Throws: when reading, `.io` for `ioError` (the file cannot be opened) and `.decode` for
    ///   any other failure; when writing, `.encode` for any failure, so that a bad output is
    ///   never mistaken for a bad input.
    static func run<Status: Equatable>(
        path: String, _ direction: Direction, ok: Status, ioError: Status,
        _ body: (UnsafeMutablePointer<CChar>, Int) -> Status
    ) throws {
        var message = [CChar](repeating: 0, count: messageCapacity)
        let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        if status == ok { return }
        let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch direction {
        case .reading where status == ioError: throw ImageIOError.io(path: path, reason: reason)
        case .reading: throw ImageIOError.decode(path: path, reason: reason)
        case .writing: throw ImageIOError.encode(path: path, reason: reason)
        }
    }
}
