import ArgumentParser
import Foundation
import Messaging
import Pipeline
import Tensor
import Viewer

/// `atelier coordinator`: runs one job file over workers that connect to it (DESIGN.md §3). It
/// builds the job's inputs exactly as `atelier stylize` does (`StylizeJob`), hands each round's
/// tiles to the workers through a ROUTER socket and blends their results itself, so the same job
/// and seed give the same bytes as `stylize`, whatever the number of workers or their failures.
/// It exits 0 once the output is written. With `--batch` it runs a list of jobs one after another
/// on the same socket and workers (`BatchRun`) and exits 0 when every job is done, 1 when some
/// job failed (the summary table says which and why).
struct CoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a job file, with its tiles solved by workers (atelier worker) that connect.",
        discussion: """
            Configs/job.example.yaml documents job files. --keys is this coordinator's key pair and \
            --trust a folder of the admitted workers' public keys (*.pub); plain TCP on an address \
            other than loopback is refused without them unless --insecure is given. \
            Configs/batch.example.yaml documents batch files (--batch, with --run-dir): each job \
            runs in RUN-DIR/jobs/NAME, RUN-DIR/batch.json tracks them and --resume skips the done ones.
            """)

    @Option(help: "The job file (YAML): content, style, output, seed and configuration keys.")
    var job: String?

    @Option(help: "A batch file (YAML): jobs run one after another by the same workers; needs --run-dir.")
    var batch: String?

    @Option(help: "The endpoint to bind, e.g. tcp://0.0.0.0:5555 (tcp://127.0.0.1:* picks a free port).")
    var bind: String

    @Option(help: "This coordinator's key pair folder (key, key.pub), for CurveZMQ; needs --trust.")
    var keys: String?

    @Option(help: "The folder of the admitted workers' public keys (*.pub).")
    var trust: String?

    @Flag(help: "Allow plain TCP on an address other than loopback.")
    var insecure = false

    @Option(help: "The run directory: canvases, accepted tiles, the checkpoint, the summary and previews.")
    var runDir: String?

    @Flag(help: ArgumentHelp(
        "Continue the run stored in --run-dir (starts afresh when it holds none).",
        discussion: "Completed levels, rounds and tiles are not computed again; another job's run is refused."))
    var resume = false

    @Option(help: "Write the JSON summary here (default: RUN-DIR/summary.json, RUN-DIR/batch-summary.json for a batch).")
    var summary: String?

    @Option(help: "Write the result of every level as a PNG into this folder (default: RUN-DIR/previews).")
    var previewDir: String?

    @Option(help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16).")
    var weights: String?

    @Option(help: "Threads for the engine, for the job's inputs and blending (default: all cores).")
    var threads: Int?

    @OptionGroup var liveView: LiveViewOptions

    func validate() throws {
        if (keys == nil) != (trust == nil) {
            throw ValidationError("--keys and --trust go together: give both folders or neither")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
        if (job == nil) == (batch == nil) { throw ValidationError("give either --job JOB.yaml or --batch BATCH.yaml") }
        if batch != nil && runDir == nil { throw ValidationError("--batch needs --run-dir (each job runs in RUN-DIR/jobs/NAME)") }
        if batch != nil && previewDir != nil {
            throw ValidationError("--preview-dir goes with --job: a batch writes previews to RUN-DIR/jobs/NAME/previews")
        }
        if resume && runDir == nil { throw ValidationError("--resume needs --run-dir") }
        try Link.checkPlain(bind, flag: "--bind", secured: keys != nil, insecure: insecure)
    }

    func run() throws {
        Engine.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
        BLASKernel.warnOfFallback()
        do {
            try runJobs()
        } catch let interrupted as Interrupted {
            // Every accepted tile and finished round is already in the run directory.
            throw Interrupted(
                signal: interrupted.signal,
                kept: runDir.map {
                    "the run in \($0) is resumable; continue with: \(Resumption.command(adding: "--resume"))"
                }
                    ?? "nothing kept: give --run-dir DIR to make a run resumable")
        }
    }

    private func runJobs() throws {
        let log = Link.log("coordinator")
        if let batch, let runDir {
            return try liveView.withLiveView { live in try run(batch: batch, runDir: runDir, live: live, log: log) }
        }
        guard let jobPath = job else { return }
        let inRunDir = { (name: String) in runDir.map { ($0 as NSString).appendingPathComponent(name) } }
        let job = try JobFile.read(jobPath, weights: weights, previewDir: previewDir ?? inRunDir("previews"))
        let prepared = try job.prepare()
        try liveView.withLiveView { live in
            try withCoordinator(log: log) { coordinator, listen in
                _ = try Self.run(
                    job, prepared, on: coordinator, runDirectory: runDir, resume: resume,
                    summary: summary ?? inRunDir("summary.json"), live: live, log: log, ready: listen)
            }
        }
    }

    /// Runs the batch: its file and run directory are checked before the socket is bound, then
    /// every job runs on one coordinator; the table goes to standard output and the JSON summary
    /// beside it. - Throws: `ExitCode(1)` once the summary is out when some job failed.
    private func run(batch: String, runDir: String, live: LiveRun?, log: @escaping @Sendable (String) -> Void) throws {
        let batchRun = BatchRun(file: try BatchFile.read(batch), runDir: runDir, resume: resume, weights: weights, log: log)
        let state = try batchRun.start()
        let outcome = try withCoordinator(log: log) { coordinator, listen in
            try listen()
            return try batchRun.run(from: state) { job, directory, resumeJob in
                try Self.run(
                    job, try job.prepare(), on: coordinator, runDirectory: directory, resume: resumeJob,
                    summary: (directory as NSString).appendingPathComponent("summary.json"), live: live, log: log)
            }
        }
        let path = summary ?? (runDir as NSString).appendingPathComponent(BatchSummary.fileName)
        try outcome.write(to: path)
        FileHandle.standardOutput.write(Data(outcome.table.utf8))
        log("wrote the batch summary \(path)")
        if !outcome.succeeded { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    /// Makes the ROUTER socket (CurveZMQ with `--keys`, admission by `--trust`) and runs `body`
    /// with a coordinator on it and `listen`, which binds the socket (once; a single job binds
    /// only after its run directory is checked, so a refused run never listens). Workers stay
    /// connected for as long as `body` runs.
    private func withCoordinator<Result>(
        log: @escaping @Sendable (String) -> Void, _ body: (TileCoordinator, _ listen: () throws -> Void) throws -> Result
    ) throws -> Result {
        let context = try MessagingContext()
        let zap = try trust.map { try ZAPHandler(context: context, trustDirectory: $0, log: log) }
        let socket: MessageSocket
        do {
            let curve = try keys.map { CurveRole.server(try CurveKeyPair.read(from: $0)) }
            socket = try context.socket(.router, options: Link.options(curve: curve))
        } catch {
            zap?.stop()
            throw error
        }
        let monitor: HandshakeMonitor
        do {
            monitor = try Link.logHandshakeFailures(of: socket, context: context, log: log)
        } catch {
            try? socket.close()
            zap?.stop()
            throw error
        }
        defer {
            try? socket.close()
            monitor.stop()
            zap?.stop()
            try? context.close()
        }
        var listening = false
        let listen = {
            guard !listening else { return }
            try socket.bind(bind)
            listening = true
            log("listening on \((try? socket.lastEndpoint) ?? bind)\(keys == nil ? "" : " (CurveZMQ)")")
        }
        return try body(TileCoordinator(socket: socket, log: log), listen)
    }

    /// Runs one prepared job over `coordinator`'s workers and writes its output and summary: the
    /// single-job path, which a batch calls once per job.
    /// - Parameters:
    ///   - runDirectory: where the canvases, accepted tiles and checkpoint live (nil: in memory).
    ///   - resume: continue the run stored in `runDirectory` (a fresh start when there is none).
    ///   - summary: where to write the JSON summary (nil: none).
    ///   - live: the live view (`--http`) that watches this job, if any.
    ///   - ready: called once the run directory is checked, before the first task.
    static func run(
        _ job: StylizeJob, _ prepared: StylizeJob.Prepared, on coordinator: TileCoordinator, runDirectory: String?,
        resume: Bool, summary: String?, live: LiveRun? = nil, log: @escaping (String) -> Void,
        ready: () throws -> Void = {}
    ) throws -> RunProgress.Summary {
        if let runDirectory {
            try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        }
        let progress = RunProgress(coordinator: coordinator, levels: prepared.plan.levels.count)
        coordinator.resultAccepted = progress.tile
        coordinator.checkInterruption = { try StopRequest.shared.check() }
        live?.begin(job: job.name, plan: prepared.plan)
        coordinator.snapshotTaken = live.map { live in { live.update($0) } }
        try StopRequest.shared.during {
            // With a run directory a job that never tiles is checkpointed level by level too (each
            // level one task for a worker), so that Ctrl-C or a crash leaves what `--resume` continues.
            try job.run(
                prepared, executor: live.map { LiveExecutor(coordinator, live: $0) } ?? coordinator,
                runDirectory: runDirectory, resume: resume, log: log, ready: ready,
                iterationFinished: { _, _, _ in try StopRequest.shared.check() },
                checkpointsWholeJobs: true, roundFinished: progress.round,
                levelFinished: { index, canvas in
                    progress.level(index, canvas)
                    live?.levelFinished(index, canvas: canvas)
                })
        }
        log("wrote \(job.output)")
        let outcome = progress.summary(output: job.output)
        if let summary {
            try progress.write(outcome, to: summary)
            log("wrote the summary \(summary)")
        }
        return outcome
    }
}
