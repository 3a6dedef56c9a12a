import Foundation
import Glibc

/// The output path, checked before any work (`StylizeJob.prepare()` starts with it, for
/// `stylize --out`, a job file's `output` and each batch job's): a job that can only fail when it
/// writes its result, hours later, or that would write over one of its own inputs, is a
/// configuration error found at once.
extension StylizeJob {
    /// The job's input files with their keys, as the job file spells them.
    var inputFiles: [(key: String, path: String)] {
        let paintings = styles.flatMap { painting -> [(String, String?)] in
            [("style", painting.path), ("style_seg", painting.seg), ("style_light", painting.light)]
        }
        let contents: [(String, String?)] = [
            ("content", content), ("content_seg", contentSeg), ("content_light", contentLight),
        ]
        return (contents + paintings).compactMap { key, path in path.map { (key, $0) } }
    }

    /// How an error names a key: `--out`/`--content-seg` for the command line, the key itself
    /// (`output`, `content_seg`) for a job file.
    func name(of key: String) -> String {
        guard source == nil else { return key }
        return key == "output" ? "--out" : "--" + key.replacingOccurrences(of: "_", with: "-")
    }

    /// Checks that the output can be written and is none of the inputs: its real path (symbolic
    /// links and `..` resolved) and its file (hard links) differ from every input's, it is not a
    /// folder, and its folder exists and is writable.
    /// - Throws: `UsageError` naming the job file (if any), the key and the file, and the reason.
    func checkOutput() throws {
        let label = (source.map { "\($0): " } ?? "") + "\(name(of: "output")) \(output)"
        func refuse(_ reason: String) -> UsageError { UsageError("\(label): \(reason)") }
        var status = stat()
        let exists = stat(output, &status) == 0
        if exists && status.st_mode & S_IFMT == S_IFDIR { throw refuse("is a folder; give the output a file name") }
        let folder = (output as NSString).deletingLastPathComponent.isEmpty
            ? "." : (output as NSString).deletingLastPathComponent
        var folderStatus = stat()
        guard stat(folder, &folderStatus) == 0 else {
            throw refuse("its folder \(folder) cannot be used (\(String(cString: strerror(errno)))); create it first")
        }
        guard folderStatus.st_mode & S_IFMT == S_IFDIR else { throw refuse("its folder \(folder) is not a folder") }
        guard access(folder, W_OK) == 0 else {
            throw refuse("cannot write into its folder \(folder) (\(String(cString: strerror(errno))))")
        }
        if exists && access(output, W_OK) != 0 {
            throw refuse("the existing file cannot be replaced (\(String(cString: strerror(errno))))")
        }
        let real = Self.realPath(output, exists: exists)
        for (key, path) in inputFiles {
            var input = stat()
            let inputExists = stat(path, &input) == 0
            let sameFile = exists && inputExists && input.st_dev == status.st_dev && input.st_ino == status.st_ino
            if sameFile || (inputExists && Self.realPath(path, exists: true) == real) {
                throw refuse("is the same file as \(name(of: key)) (\(path)); writing it would destroy the input")
            }
        }
    }

    /// `path` with symbolic links, `.` and `..` resolved: the file's own when it exists, else its
    /// folder's followed by its name (the file the output would create).
    static func realPath(_ path: String, exists: Bool) -> String {
        func resolved(_ path: String) -> String? {
            guard let pointer = realpath(path, nil) else { return nil }
            defer { free(pointer) }
            return String(cString: pointer)
        }
        if exists, let real = resolved(path) { return real }
        let folder = (path as NSString).deletingLastPathComponent
        let base = resolved(folder.isEmpty ? "." : folder) ?? folder
        return (base as NSString).appendingPathComponent((path as NSString).lastPathComponent)
    }
}
