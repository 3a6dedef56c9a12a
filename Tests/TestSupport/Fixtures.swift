import Foundation

/// Shared fixtures for the test targets.
public enum Fixtures {
    /// The project root (the folder that holds Package.swift), found from this source file.
    public static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `../shared/data` beside the project (sample images with their licences).
    public static let sharedData: URL = projectRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
}
