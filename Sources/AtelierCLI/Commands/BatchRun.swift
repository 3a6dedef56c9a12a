import Foundation
import Messaging

/// The jobs of a batch, one after another on one coordinator (`atelier coordinator --batch`):
/// job NAME runs in its own run directory `RUN-DIR/jobs/NAME` as a single `--job` run would, and
/// `RUN-DIR/batch.json` records each job as it starts and ends. A job that fails (a bad image, a
/// bad key in its file, a tile no worker could solve) is recorded with its reason and the batch
/// goes on; only a coordinator that cannot go on (its socket gone) stops it.
struct BatchRun {
    /// Runs one job in its run directory (resuming it there when `resume`) and returns its summary.
    typealias Solve = (_ job: StylizeJob, _ runDir: String, _ resume: Bool) throws -> RunProgress.Summary

    let file: BatchFile
    let runDir: String
    let resume: Bool
    let weights: String?
    let log: (String) -> Void

    var statePath: String { (runDir as NSString).appendingPathComponent(BatchState.fileName) }

    func jobDirectory(_ name: String) -> String {
        ((runDir as NSString).appendingPathComponent("jobs") as NSString).appendingPathComponent(name)
    }

    /// Checks the run directory and returns the state to start from, before any work: a folder
    /// holding a batch is refused without `--resume` (as a single run's is), one holding a single
    /// run always; `--resume` where nothing is stored starts fresh, so schedulers can always pass it.
    /// - Throws: `UsageError` naming the folder or the state file.
    func start() throws -> BatchState {
        try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
        let manifest = (runDir as NSString).appendingPathComponent("manifest.json")
        guard !FileManager.default.fileExists(atPath: manifest) else {
            throw UsageError("\(runDir) holds a single run (\(manifest)), not a batch; choose a new --run-dir")
        }
        if FileManager.default.fileExists(atPath: statePath) {
            guard resume else {
                throw UsageError(
                    "\(runDir) holds a batch (\(statePath)); resume it with --resume or choose a new --run-dir")
            }
            return try BatchState.resumed(file: file, from: statePath)
        }
        if resume { log("--resume: no batch in \(runDir) to resume; starting from the first job") }
        let state = BatchState(file: file)
        try state.write(to: statePath)
        return state
    }

    /// Runs every job of `state` not done yet, in batch order, with `solve`.
    /// - Returns: the summary (jobs done by an earlier run are `skipped`).
    /// - Throws: `MessagingError` when the coordinator's socket fails (the job is left pending);
    ///   an error writing the state file.
    func run(from state: BatchState, solve: Solve) throws -> BatchSummary {
        var state = state
        let start = Date()
        var skipped: Set<Int> = []
        for (index, entry) in file.entries.enumerated() {
            let counter = "job \(index + 1)/\(file.entries.count) \(entry.name)"
            if state.jobs[index].status == .done {
                log("\(counter): done before; skipped")
                skipped.insert(index)
                continue
            }
            let directory = jobDirectory(entry.name)
            // A job found in its folder was interrupted or failed: its run directory is resumed.
            let resumeJob = resume && FileManager.default.fileExists(atPath: directory)
            state.jobs[index] = BatchState.Job(name: entry.name, status: .running)
            try state.write(to: statePath)
            log("\(counter): \(resumeJob ? "resuming in" : "starting in") \(directory)")
            let jobStart = Date()
            do {
                var job = try JobFile.job(
                    from: try file.layers(of: entry), weights: weights,
                    previewDir: (directory as NSString).appendingPathComponent("previews"))
                job.name = entry.name
                state.jobs[index].output = job.output
                // An overnight job must not fail at its very end for want of a folder.
                let outputFolder = (job.output as NSString).deletingLastPathComponent
                if !outputFolder.isEmpty {
                    try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
                }
                let summary = try solve(job, directory, resumeJob)
                state.jobs[index].status = .done
                state.jobs[index].width = summary.levels.last?.width
                state.jobs[index].height = summary.levels.last?.height
                state.jobs[index].tiles = summary.levels.map(\.tiles).reduce(0, +)
                state.jobs[index].retries = summary.retries
                log("\(counter): done, wrote \(job.output)")
            } catch let error as MessagingError {
                // The socket is gone: no later job could run either.
                state.jobs[index].status = .pending
                state.jobs[index].reason = AtelierMain.line(for: error)
                try? state.write(to: statePath)
                throw error
            } catch {
                state.jobs[index].status = .failed
                state.jobs[index].reason = AtelierMain.line(for: error)
                log("\(counter): failed: \(state.jobs[index].reason!)")
            }
            state.jobs[index].seconds = Date().timeIntervalSince(jobStart)
            try state.write(to: statePath)
        }
        var rows = state.jobs
        for index in skipped { rows[index].status = .skipped }
        return BatchSummary(batch: file.path, runDir: runDir, seconds: Date().timeIntervalSince(start), jobs: rows)
    }
}
