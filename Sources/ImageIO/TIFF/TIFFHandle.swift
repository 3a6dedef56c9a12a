internal import CTIFF
import Foundation

/// One libtiff `TIFF*` with its own error handler: the funnel for every libtiff call
/// (STYLE.md §2). Calls go through `call(_:failsWhen:_:)`, which turns a failure into an
/// `ImageIOError` carrying the function's name and libtiff's message.
///
/// Who closes it: `TIFFReader` owns a read handle and closes it in `deinit` (nothing to flush);
/// `TiledTIFFWriter` owns a write handle and closes it in `close() throws`.
final class TIFFHandle {
    let path: String
    let diagnostics: TIFFDiagnostics
    private(set) var tiff: OpaquePointer?
    /// Which error case a failure becomes: `.decode` on a read handle, `.encode` on a write one.
    private let failure: (String, String) -> ImageIOError

    /// Opens `path` with `TIFFOpenExt` and per-handle error and warning handlers.
    /// - Parameter mode: libtiff's mode string: "r" to read, "w8" to create a BigTIFF.
    init(path: String, mode: String, limits: ImageLimits) throws {
        self.path = path
        let diagnostics = TIFFDiagnostics()
        self.diagnostics = diagnostics
        let writing = mode.hasPrefix("w")
        failure =
            writing ? { ImageIOError.encode(path: $0, reason: $1) } : { ImageIOError.decode(path: $0, reason: $1) }
        guard let options = TIFFOpenOptionsAlloc() else {
            throw ImageIOError.io(path: path, reason: "out of memory")
        }
        defer { TIFFOpenOptionsFree(options) }
        let userData = Unmanaged.passUnretained(diagnostics).toOpaque()
        TIFFOpenOptionsSetErrorHandlerExtR(options, TIFFDiagnostics.errorHandler, userData)
        TIFFOpenOptionsSetWarningHandlerExtR(options, TIFFDiagnostics.warningHandler, userData)
        TIFFOpenOptionsSetMaxSingleMemAlloc(options, tmsize_t(limits.maxChunkBytes))
        guard let tiff = TIFFOpenExt(path, mode, options) else {
            let reason = diagnostics.takeErrors() ?? "TIFFOpenExt failed"
            throw failure(path, reason)
        }
        self.tiff = tiff
    }

    /// Releases the handle (`TIFFClose`). On a write handle, the caller has already written its
    /// directories; anything libtiff reports here is thrown.
    func close() throws {
        guard let tiff else { return }
        self.tiff = nil
        TIFFClose(tiff)
        if let message = diagnostics.takeErrors() { throw failure(path, "TIFFClose: \(message)") }
    }

    deinit {
        if let tiff { TIFFClose(tiff) }
    }

    /// Runs one libtiff call on this handle.
    /// - Parameters:
    ///   - function: the libtiff function's name, for the message.
    ///   - failed: whether the call's result means failure (libtiff's conventions vary: 0, -1,
    ///     a null pointer).
    /// - Throws: `.decode` (read handle) or `.encode` (write handle) with libtiff's message.
    @discardableResult
    func call<Result>(
        _ function: String, failsWhen failed: (Result) -> Bool, _ body: (OpaquePointer) -> Result
    ) throws -> Result {
        guard let tiff else { throw failure(path, "\(function) on a closed handle") }
        let result = body(tiff)
        if failed(result) {
            let message = diagnostics.takeErrors() ?? "failed"
            throw failure(path, "\(function): \(message)")
        }
        return result
    }

    /// Runs a libtiff call that returns 1 on success and 0 on failure.
    func check(_ function: String, _ body: (OpaquePointer) -> Int32) throws {
        try call(function, failsWhen: { $0 == 0 }, body)
    }

    /// The handle for calls that cannot fail (tag queries, size computations).
    var raw: OpaquePointer {
        guard let tiff else { preconditionFailure("\(path): libtiff handle used after close") }
        return tiff
    }
}
