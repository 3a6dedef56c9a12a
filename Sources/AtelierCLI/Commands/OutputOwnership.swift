import Foundation
import Pipeline

/// Which job wrote an output file: `stylize` records, for each output it writes, the job's hash
/// (`StylizeJob.hash()`: inputs, settings, size, output) with the file's size and modification
/// time, in `${XDG_CACHE_HOME:-~/.cache}/atelier/outputs/` (one small file per output, named by
/// the hash of its real path). Running the same job again may then replace its own previous
/// output, untouched since; any other existing file needs `--overwrite`.
enum OutputOwnership {
    /// The folder of the records for `environment` (`XDG_CACHE_HOME`, then `HOME`).
    static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/atelier/outputs"
    }

    /// What identifies `path` as written: the job, the file's size and modification time.
    private static func record(of path: String, job: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let bytes = (attributes[.size] as? NSNumber)?.intValue,
              let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 else { return nil }
        return "\(job) \(bytes) " + String(format: "%.6f", modified)
    }

    private static func recordPath(of path: String) -> String {
        folder() + "/" + JobHash.of(["output": StylizeJob.realPath(path, exists: true)])
    }

    /// Records that `job` wrote `path` (best effort: without a writable cache nothing is recorded,
    /// and the next run needs `--overwrite`).
    static func mark(_ path: String, job: String) {
        guard let record = record(of: path, job: job) else { return }
        try? FileManager.default.createDirectory(atPath: folder(), withIntermediateDirectories: true)
        try? Data(record.utf8).write(to: URL(fileURLWithPath: recordPath(of: path)), options: .atomic)
    }

    /// Whether `path` is, untouched, what `job` wrote.
    static func isOutput(_ path: String, of job: String) -> Bool {
        guard let stored = try? String(contentsOfFile: recordPath(of: path), encoding: .utf8) else { return false }
        return stored == record(of: path, job: job)
    }

    /// Why an existing `path` may be replaced by `job` (nil: it does not exist).
    /// - Throws: `UsageError` when it exists, is not `job`'s previous output and `overwrite` is off.
    static func replacement(of path: String, by job: String, overwrite: Bool, flag: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        if isOutput(path, of: job) { return "replaces \(path), the previous output of this same job" }
        guard overwrite else {
            throw UsageError("\(flag) \(path): the file exists and is not this job's previous output; "
                + "give --overwrite to replace it, or another name")
        }
        return "replaces \(path) (--overwrite)"
    }
}
