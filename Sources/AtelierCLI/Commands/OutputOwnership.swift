import Foundation
import Glibc

/// Which job wrote an output file: `stylize` marks what it writes with the job's hash
/// (`StylizeJob.hash()`: inputs, settings, size, output) in the extended attribute
/// `user.atelier.job`, so that running the same job again may replace its own previous output
/// while any other existing file needs `--overwrite`. A file system without user attributes
/// keeps no mark: its outputs are then replaced only with `--overwrite`.
enum OutputOwnership {
    static let attribute = "user.atelier.job"

    /// The hash of the job that wrote `path`, if it carries one.
    static func job(of path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 128)
        let length = getxattr(path, attribute, &buffer, buffer.count)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length], as: UTF8.self)
    }

    /// Marks `path` as written by `job` (nothing happens where the file system keeps no mark).
    static func mark(_ path: String, job: String) {
        _ = Array(job.utf8).withUnsafeBufferPointer { setxattr(path, attribute, $0.baseAddress, $0.count, 0) }
    }

    /// Why an existing `path` may be replaced by `job` (nil: it does not exist).
    /// - Throws: `UsageError` when it exists, is not `job`'s previous output and `overwrite` is off.
    static func replacement(of path: String, by job: String, overwrite: Bool, flag: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        if Self.job(of: path) == job { return "replaces \(path), the previous output of this same job" }
        guard overwrite else {
            throw UsageError("\(flag) \(path): the file exists and is not this job's previous output; "
                + "give --overwrite to replace it, or another name")
        }
        return "replaces \(path) (--overwrite)"
    }
}
