/// The one error type of the run-directory store (STYLE.md §2): canvases, tile results, the
/// manifest and the lock. Every case names the file and says why in one line, so the CLI can print
/// it as `atelier: <description>`; a damaged file is always reported, never trapped on.
public enum PipelineStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed (`operation` names it, `reason` is the system's message).
    case io(path: String, operation: String, reason: String)
    /// The file is not what it should be: wrong magic, truncated, wrong size, bad checksum, bad JSON.
    case corrupt(path: String, reason: String)
    /// The file is well-formed but written by another format version.
    case unsupported(path: String, reason: String)
    /// The run directory holds the checkpoint of another job (its job hash differs).
    case jobMismatch(path: String, expected: String, found: String)
    /// A fresh run was asked for in a run directory that already holds a run.
    case existingRun(path: String)
    /// A request the store cannot honour (an absurd canvas size, a key it cannot name a file for):
    /// the caller's mistake, reported rather than trapped.
    case invalidRequest(path: String, reason: String)
    /// Another process holds the run directory's lock (`holder` is what it wrote in the lock file).
    case locked(path: String, holder: String)

    public var path: String {
        switch self {
        case .io(let path, _, _), .corrupt(let path, _), .unsupported(let path, _), .jobMismatch(let path, _, _),
            .existingRun(let path), .invalidRequest(let path, _), .locked(let path, _):
            return path
        }
    }

    public var description: String {
        let text: String
        switch self {
        case .io(let path, let operation, let reason): text = "\(path): \(operation) failed: \(reason)"
        case .corrupt(let path, let reason): text = "\(path): damaged: \(reason)"
        case .unsupported(let path, let reason): text = "\(path): unsupported: \(reason)"
        case .jobMismatch(let path, let expected, let found):
            text =
                "\(path): the run directory belongs to another job (its job hash is \(found.prefix(16))…, this job's is"
                + " \(expected.prefix(16))…); resume with the original job file or choose a new --run-dir"
        case .existingRun(let path):
            text = "\(path): the run directory already holds a run; pass --resume to continue it or choose a new --run-dir"
        case .invalidRequest(let path, let reason): text = "\(path): invalid request: \(reason)"
        case .locked(let path, let holder):
            text = "\(path): the run directory is in use by another coordinator (\(holder))"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
