import Foundation

/// Configuration presets found by name from anywhere: `--config preview` is `preview.yaml` in the
/// installed presets (`PREFIX/share/atelier/Configs`, beside the executable's prefix, where
/// `Scripts/install` puts them) or in the repository the executable was built in (`Configs/`).
/// A path that exists is used as it is.
enum Presets {
    /// The folders searched, in order, for the executable at `executable`: its installed
    /// `share/atelier/NAME` and the repository's `NAME` (`Configs`, `Examples`).
    static func folders(_ name: String = "Configs", executable: String = runningExecutable) -> [String] {
        let real = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        var folders: [String] = []
        var directory = real.deletingLastPathComponent()
        // bin/atelier → share/atelier/NAME; .build/<triple>/release/atelier → the repository's NAME.
        folders.append(directory.deletingLastPathComponent().appendingPathComponent("share/atelier/" + name).path)
        for _ in 0..<4 {
            directory.deleteLastPathComponent()
            folders.append(directory.appendingPathComponent(name).path)
        }
        return folders
    }

    /// A shipped sample (`Examples/chelsea.png`, a benchmark's default) from any folder: the path
    /// as given when it exists, else the file of that name in the installed or repository's
    /// `Examples` (the path itself when none has it, for the reader's error to name).
    static func example(_ path: String) -> String {
        guard !FileManager.default.fileExists(atPath: path), path.hasPrefix("Examples/") else { return path }
        let name = String(path.dropFirst("Examples/".count))
        return folders("Examples").map { ($0 as NSString).appendingPathComponent(name) }
            .first(where: FileManager.default.fileExists(atPath:)) ?? path
    }

    /// This process's executable: `/proc/self/exe` (argv[0] is a bare name when found on PATH).
    static var runningExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The names of the presets in `folders` (without `.yaml`), sorted.
    static func names(in folders: [String]) -> [String] {
        let files = folders.flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] }
        return Set(files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }).sorted()
    }

    /// The file `--config value` names.
    /// - Throws: `ConfigurationFileMissing` (exit 3, a missing input file) naming the value, the
    ///   folders searched and the presets there.
    static func resolve(_ value: String, folders: [String] = folders()) throws -> String {
        if FileManager.default.fileExists(atPath: value) { return value }
        if !value.contains("/") {
            let name = value.hasSuffix(".yaml") ? value : value + ".yaml"
            for folder in folders {
                let path = (folder as NSString).appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        let known = names(in: folders)
        throw ConfigurationFileMissing(
            description: "--config \(value): no such file"
                + (known.isEmpty ? "" : ", and no preset of that name (presets: \(known.joined(separator: ", ")))"))
    }
}

/// A `--config` that names no file and no preset: a missing input file (exit 3).
struct ConfigurationFileMissing: ClassifiedError, CustomStringConvertible {
    let description: String
    var exitStatus: ExitStatus { .badInput }
}
