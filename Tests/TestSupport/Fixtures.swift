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

    /// `Tests/Fixtures/samples`: the few real sample images the tests use, with their sources and
    /// licences in its README (the repository stands alone: nothing is read from outside it).
    public static let samples: URL = projectRoot.appendingPathComponent("Tests/Fixtures/samples")

    @available(*, deprecated, renamed: "samples", message: "the samples now live in Tests/Fixtures/samples")
    public static var sharedData: URL { samples }
}
