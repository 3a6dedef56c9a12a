internal import CTIFF
import Foundation

/// What libtiff said about one handle. Installed with `TIFFOpenOptionsSetErrorHandlerExtR` and
/// `…SetWarningHandlerExtR`, so libtiff's messages reach the error that is thrown instead of
/// being printed on stderr by the process-wide default handler.
final class TIFFDiagnostics {
    /// The latest error message (libtiff may report several for one failure; the first is
    /// usually the cause, so later ones are appended).
    private(set) var errors: [String] = []

    func takeErrors() -> String? {
        defer { errors.removeAll() }
        return errors.isEmpty ? nil : errors.joined(separator: "; ")
    }

    fileprivate func record(_ message: String) {
        // A runaway decoder could report thousands of errors; the first few say enough.
        if errors.count < 4 { errors.append(message) }
    }

    /// The C callback for errors: formats the message with `vsnprintf` and records it on the
    /// `TIFFDiagnostics` passed as user data. Returning 1 tells libtiff it was handled.
    static let errorHandler: TIFFErrorHandlerExtR = { _, userData, module, format, arguments in
        guard let userData, let format, let arguments else { return 1 }
        let diagnostics = Unmanaged<TIFFDiagnostics>.fromOpaque(userData).takeUnretainedValue()
        var buffer = [CChar](repeating: 0, count: 512)
        _ = vsnprintf(&buffer, buffer.count, format, arguments)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let source = module.map { String(cString: $0) } ?? ""
        diagnostics.record(source.isEmpty || text.hasPrefix(source) ? text : "\(source): \(text)")
        return 1
    }

    /// The C callback for warnings: swallowed (libtiff warns about unknown tags and such, which
    /// are no reason to fail and must not be printed behind the caller's back).
    static let warningHandler: TIFFErrorHandlerExtR = { _, _, _, _, _ in 1 }
}
