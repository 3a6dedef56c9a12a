import Foundation

/// Where a batch stands, in `RUN-DIR/batch.json`: one record per job, written atomically after
/// each job starts and ends, so that a batch killed at any moment is resumed from it (`--resume`
/// skips the jobs marked done) and a script can follow it while it runs.
struct BatchState: Codable, Equatable {
    enum Status: String, Codable {
        /// Not run yet, or stopped with the coordinator (`--resume` runs it again).
        case pending
        /// Being run now; found so in a file, it was interrupted (`--resume` continues it).
        case running
        case done
        /// Failed with `reason`; `--resume` runs it again.
        case failed
        /// Only in the summary: done by an earlier run of the batch, and left alone by this one.
        case skipped
    }

    /// One job's record (also its row of the summary).
    struct Job: Codable, Equatable {
        var name: String
        var status: Status
        /// Why the job failed, in one line.
        var reason: String?
        var output: String?
        var width: Int?
        var height: Int?
        /// The job's wall time, from reading its inputs to writing its output.
        var seconds: Double?
        /// Tiles solved by workers (0 for a job small enough to run whole in the coordinator).
        var tiles: Int?
        /// Tasks queued again after a worker died or failed them.
        var retries: Int?

        init(name: String, status: Status = .pending) {
            self.name = name
            self.status = status
        }
    }

    /// The batch file this state belongs to.
    var batch: String
    var jobs: [Job]

    /// The file's name in the run directory.
    static let fileName = "batch.json"

    /// A fresh state for `file`'s jobs, all pending.
    init(file: BatchFile) {
        batch = file.path
        jobs = file.entries.map { Job(name: $0.name) }
    }

    /// The state of `file`'s jobs as stored at `path`: the stored record of each job of the batch
    /// by name (a job added to the batch since is pending; one removed is forgotten).
    /// - Throws: `UsageError` naming the file when it is not a batch state.
    static func resumed(file: BatchFile, from path: String) throws -> BatchState {
        let stored: BatchState
        do {
            stored = try JSONFile.read(BatchState.self, from: path)
        } catch {
            throw UsageError("\(path): not a batch state (\(error.localizedDescription)); choose a new --run-dir")
        }
        let records = Dictionary(stored.jobs.map { ($0.name, $0) }) { first, _ in first }
        var state = BatchState(file: file)
        state.jobs = state.jobs.map { records[$0.name] ?? $0 }
        return state
    }

    func write(to path: String) throws {
        try JSONFile.write(self, to: path)
    }
}
