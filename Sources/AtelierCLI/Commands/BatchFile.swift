import Foundation
import Pipeline

/// A batch file for `atelier coordinator --batch BATCH.yaml` (`Configs/batch.example.yaml`
/// documents it): a list of jobs, each a job file or an inline job with a `name`, and optional
/// shared `settings` that every job's own keys override. The batch's shape (its keys, the
/// entries, their names, the job files being there, the shared settings) is checked here, before
/// any work; each job's own keys and images are checked when its turn comes, so that one bad job
/// fails alone.
struct BatchFile {
    /// One job of the batch.
    struct Entry {
        /// The job's name: its folder `RUN-DIR/jobs/NAME`, and its label on the wire.
        var name: String
        /// A job file (read when the job's turn comes), or an inline job's keys.
        var job: Job

        enum Job {
            case file(String)
            case inline(JobFile.Layer)
        }
    }

    static let keys = ["jobs", "settings"]
    /// Job names: a folder name that no shell or file system mangles.
    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    static let maximumNameLength = 64

    let path: String
    /// The shared settings, applied under each job's own keys.
    let shared: JobFile.Layer?
    let entries: [Entry]

    /// Reads and checks the batch file at `path`.
    /// - Throws: `UsageError` naming the file and the key or entry: unreadable or not YAML, an
    ///   unknown key, no jobs, an entry that is neither a path nor a mapping with a name, a bad or
    ///   repeated name, a missing job file, a bad shared setting or a shared `output`.
    static func read(_ path: String) throws -> BatchFile {
        let mapping = try Configuration.mapping(file: path, what: "batch file")
        let folder = (path as NSString).deletingLastPathComponent
        if let unknown = mapping.keys.sorted().first(where: { !keys.contains($0) }) {
            throw UsageError("\(path): unknown key '\(unknown)' (known: \(keys.joined(separator: ", ")))")
        }
        guard let list = mapping["jobs"] as? [Any], !list.isEmpty else {
            throw UsageError("\(path): jobs must be a non-empty list of job files and inline jobs")
        }
        var entries: [Entry] = []
        var taken: [String: Int] = [:]
        for (offset, item) in list.enumerated() {
            let label = "\(path): jobs entry \(offset + 1)"
            let entry = try self.entry(item, label: label, folder: folder)
            if let first = taken[entry.name] {
                throw UsageError(
                    "\(label): the name '\(entry.name)' is already entry \(first)'s (each job needs its own RUN-DIR/jobs/NAME)"
                )
            }
            taken[entry.name] = offset + 1
            entries.append(entry)
        }
        return BatchFile(
            path: path, shared: try sharedSettings(mapping["settings"], path: path, folder: folder),
            entries: entries)
    }

    /// The layers of `entry`'s job: the shared settings, then the job's own keys.
    /// - Throws: `UsageError` when the job file cannot be read as a mapping.
    func layers(of entry: Entry) throws -> [JobFile.Layer] {
        let own: JobFile.Layer
        switch entry.job {
        case .file(let file): own = try JobFile.Layer.file(file)
        case .inline(let layer): own = layer
        }
        return (shared.map { [$0] } ?? []) + [own]
    }

    private static func entry(_ item: Any, label: String, folder: String) throws -> Entry {
        if let text = item as? String, !text.isEmpty {
            let file = text.hasPrefix("/") || folder.isEmpty ? text : (folder as NSString).appendingPathComponent(text)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
                throw UsageError("\(label): no job file at \(file)")
            }
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            return Entry(name: try checked(name, label: label), job: .file(file))
        }
        guard var keys = item as? [String: Any], let name = keys.removeValue(forKey: "name") else {
            throw UsageError("\(label): expected a job file path, or an inline job with a 'name'")
        }
        guard let name = name as? String else { throw UsageError("\(label): name must be text, not '\(name)'") }
        let checkedName = try checked(name, label: label)
        return Entry(
            name: checkedName,
            job: .inline(JobFile.Layer(mapping: keys, source: "\(label) (\(checkedName))", folder: folder)))
    }

    /// `name` if it can name a folder: letters, digits, '.', '_', '-', not starting with '.'.
    private static func checked(_ name: String, label: String) throws -> String {
        guard !name.isEmpty, name.count <= maximumNameLength, !name.hasPrefix("."),
            name.allSatisfy(nameCharacters.contains)
        else {
            throw UsageError(
                "\(label): the job name '\(name)' must be 1-\(maximumNameLength) letters, digits, '.', '_' or '-',"
                    + " not starting with '.' (it names the folder RUN-DIR/jobs/NAME)")
        }
        return name
    }

    /// The `settings` mapping, checked as a job's keys would be (files resolved against the batch
    /// file's folder); `output` and `name` belong to each job.
    private static func sharedSettings(_ value: Any?, path: String, folder: String) throws -> JobFile.Layer? {
        guard let value else { return nil }
        guard let mapping = value as? [String: Any] else {
            throw UsageError("\(path): settings must be a mapping of job keys, not '\(value)'")
        }
        for key in ["output", "name"] where mapping[key] != nil {
            throw UsageError("\(path): settings: \(key) belongs to each job, not to the shared settings")
        }
        let layer = JobFile.Layer(mapping: mapping, source: "\(path): settings", folder: folder)
        var parts = JobFile.Parts()
        try parts.add(layer)
        return layer
    }
}
