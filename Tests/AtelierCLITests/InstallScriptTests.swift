import Foundation
import TestSupport
import XCTest

/// `Scripts/install PREFIX` puts the built `atelier`, its presets and its completion scripts
/// where a shell finds them, and the installed command finds its presets by name from any folder.
final class InstallScriptTests: XCTestCase {
    func testInstallsTheCommandPresetsAndCompletions() throws {
        let folder = try TemporaryDirectory()
        let prefix = folder.path("prefix")
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [Fixtures.projectRoot.appendingPathComponent("Scripts/install").path, prefix]
        script.environment = ProcessInfo.processInfo.environment.merging(["ATELIER_SKIP_BUILD": "1"]) { $1 }
        let output = Pipe()
        script.standardOutput = output
        script.standardError = output
        try script.run()
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        script.waitUntilExit()
        XCTAssertEqual(script.terminationStatus, 0, log)
        let manager = FileManager.default
        XCTAssertTrue(manager.isExecutableFile(atPath: prefix + "/bin/atelier"), log)
        XCTAssertTrue(manager.fileExists(atPath: prefix + "/share/atelier/Configs/preview.yaml"), log)
        for completion in ["bash-completion/completions/atelier", "zsh/site-functions/_atelier",
                           "fish/vendor_completions.d/atelier.fish"] {
            let text = try String(contentsOfFile: prefix + "/share/" + completion, encoding: .utf8)
            XCTAssertTrue(text.contains("stylize") && text.contains("content"), completion)
        }
        let installed = Process()
        installed.executableURL = URL(fileURLWithPath: prefix + "/bin/atelier")
        installed.currentDirectoryURL = folder.url
        installed.arguments = [
            "stylize", "--content", "c.png", "--style", "s.png", "-o", "o.png", "--config", "preview", "--dump-config",
        ]
        let dump = Pipe()
        installed.standardOutput = dump
        try installed.run()
        let yaml = String(decoding: dump.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        installed.waitUntilExit()
        XCTAssertEqual(installed.terminationStatus, 0)
        XCTAssertTrue(yaml.contains("\nstyle_layers: [relu4_1]\n"), yaml)
    }
}
