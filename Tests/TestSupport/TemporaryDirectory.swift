import Foundation

/// A folder of its own under the system's temporary directory for one test, removed when the
/// value is released (tests keep it alive with a local `let`).
public final class TemporaryDirectory {
    public let url: URL

    public init(_ label: String = #function) throws {
        let name = "atelier-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
