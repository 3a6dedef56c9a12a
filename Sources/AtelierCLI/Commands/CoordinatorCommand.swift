import ArgumentParser
import Foundation
import Messaging
import Pipeline
import Tensor

/// `atelier coordinator`: runs one job file over workers that connect to it (DESIGN.md §3). It
/// builds the job's inputs exactly as `atelier stylize` does (`StylizeJob`), hands each round's
/// tiles to the workers through a ROUTER socket and blends their results itself, so the same job
/// and seed give the same bytes as `stylize`, whatever the number of workers or their failures.
/// It exits 0 once the output is written.
struct CoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a job file, with its tiles solved by workers (atelier worker) that connect.",
        discussion: """
            Configs/job.example.yaml documents job files. --keys is this coordinator's key pair and \
            --trust a folder of the admitted workers' public keys (*.pub); plain TCP on an address \
            other than loopback is refused without them unless --insecure is given.
            """)

    @Option(help: "The job file (YAML): content, style, output, seed and configuration keys.")
    var job: String

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

    @Option(help: "Write the JSON summary here (default: RUN-DIR/summary.json with --run-dir).")
    var summary: String?

    @Option(help: "Write the result of every level as a PNG into this folder (default: RUN-DIR/previews).")
    var previewDir: String?

    @Option(help: "The VGG weights file (default: $ATELIER_WEIGHTS, else the cached VGG-16).")
    var weights: String?

    @Option(help: "Threads for the engine, for the job's inputs and blending (default: all cores).")
    var threads: Int?

    func validate() throws {
        if (keys == nil) != (trust == nil) {
            throw ValidationError("--keys and --trust go together: give both folders or neither")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
        if resume && runDir == nil { throw ValidationError("--resume needs --run-dir") }
        try Link.checkPlain(bind, flag: "--bind", secured: keys != nil, insecure: insecure)
    }

    func run() throws {
        Engine.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let log = Link.log("coordinator")
        let inRunDir = { (name: String) in runDir.map { ($0 as NSString).appendingPathComponent(name) } }
        let job = try JobFile.read(self.job, weights: weights, previewDir: previewDir ?? inRunDir("previews"))

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
        defer {
            try? socket.close()
            zap?.stop()
            try? context.close()
        }
        let prepared = try job.prepare()
        let coordinator = TileCoordinator(socket: socket, log: log)
        try Self.runJob(
            job, prepared: prepared, runDirectory: runDir, resume: resume, coordinator: coordinator,
            summary: summary ?? inRunDir("summary.json"), log: log
        ) {
            try socket.bind(bind)
            log("listening on \((try? socket.lastEndpoint) ?? bind)\(keys == nil ? "" : " (CurveZMQ)")")
        }
    }

    /// Runs one prepared job over `coordinator`'s workers and writes its output and summary: the
    /// single-job path, which a batch of jobs calls once per job.
    /// - Parameters:
    ///   - runDirectory: where the canvases, accepted tiles and checkpoint live (nil: in memory).
    ///   - resume: continue the run stored in `runDirectory` (a fresh start when there is none).
    ///   - summary: where to write the JSON summary (nil: none).
    ///   - ready: called once the run directory is checked, before the first task (the single
    ///     job binds its socket there, so a refused run never listens).
    static func runJob(
        _ job: StylizeJob, prepared: StylizeJob.Prepared, runDirectory: String?, resume: Bool,
        coordinator: TileCoordinator, summary: String?, log: @escaping (String) -> Void,
        ready: () throws -> Void = {}
    ) throws {
        if let runDirectory {
            try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        }
        let progress = RunProgress(coordinator: coordinator, levels: prepared.plan.levels.count)
        coordinator.resultAccepted = progress.tile
        try job.run(
            prepared, executor: coordinator, runDirectory: runDirectory, resume: resume, log: log, ready: ready,
            roundFinished: progress.round, levelFinished: progress.level)
        log("wrote \(job.output)")
        if let summary {
            try progress.write(progress.summary(output: job.output), to: summary)
            log("wrote the summary \(summary)")
        }
    }
}
