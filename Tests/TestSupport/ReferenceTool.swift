import Foundation

/// Independent tools that tests compare against: Debian's libtiff-tools (`tiffcp`, `tiffinfo`,
/// `tiffdump`) and the Debian Python with Pillow, tifffile and numpy. Always `/usr/bin/python3`:
/// the `python3` on PATH may be another interpreter without those packages.
public enum ReferenceTool {
    public static let python = "/usr/bin/python3"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `executable arguments…` and returns its standard output; throws with its standard
    /// error when it exits non-zero. Output goes through files, so no pipe can fill up.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            throw Failure(
                description:
                    "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(err)")
        }
        return out
    }

    /// Runs a Python script (given as source) with `arguments` as `sys.argv[1:]`.
    @discardableResult
    public static func python(_ script: String, _ arguments: [String] = []) throws -> String {
        try run(python, ["-c", script] + arguments)
    }
}
