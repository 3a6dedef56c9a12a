import Foundation
import TestSupport

/// Runs a Cluster/ launcher against stand-ins: an `atelier` that logs each command it is given
/// (the coordinator exits with status 7 once `STUB_WORKERS` workers have started, or hangs;
/// workers run until TERM and log that they were stopped), plus `srun` and `scontrol` stand-ins for the Slurm script.
struct StandInCluster {
    let folder: TemporaryDirectory
    var log: String { folder.path("log") }
    var atelier: String { folder.path("bin/atelier") }
    var bin: String { folder.path("bin") }

    /// The result of one launch: exit status and the stand-ins' log lines.
    struct Run {
        var status: Int32
        var lines: [String]

        /// The pids logged on lines that start with `prefix` (`worker`, `coordinator`, `stopped`).
        func pids(_ prefix: String) -> [Int32] {
            lines.filter { $0.hasPrefix(prefix + " ") }.compactMap { Int32($0.split(separator: " ")[1]) }
        }
    }

    private static let scripts = [
        "atelier": """
            #!/usr/bin/env bash
            case $1 in
                keys) mkdir -p "$4" && echo secret > "$4/key" && echo public > "$4/key.pub" ;;
                coordinator)
                    echo "coordinator $$ ${*:2}" >> "$STUB_LOG"
                    [[ -n ${STUB_HANG:-} ]] && exec sleep 60
                    # Exit once the expected workers have started (10 s at most), as a job would end.
                    for ((i = 0; i < 200; i++)); do
                        (($(grep -c '^worker' "$STUB_LOG") >= ${STUB_WORKERS:-0})) && break
                        sleep 0.05
                    done
                    exit 7 ;;
                worker)
                    trap 'echo "stopped $$" >> "$STUB_LOG"; exit 0' TERM
                    echo "worker $$ ${*:2}" >> "$STUB_LOG"
                    while :; do sleep 0.05; done ;;
            esac
            """,
        // srun: logs its options, runs --ntasks copies of the command here, forwards TERM to them.
        "srun": """
            #!/usr/bin/env bash
            ntasks=1 options=()
            while [[ $1 == --* ]]; do
                options+=("$1")
                [[ $1 == --ntasks=* ]] && ntasks=${1#--ntasks=}
                shift
            done
            echo "srun ${options[*]}" >> "$STUB_LOG"
            pids=()
            for ((i = 0; i < ntasks; i++)); do "$@" & pids+=($!); done
            trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait' TERM
            wait
            """,
        "scontrol": """
            #!/usr/bin/env bash
            case "$1 $2" in
                "show hostnames") printf 'node1\\nnode2\\nnode3\\n' ;;
                requeue*) echo "requeue $2" >> "$STUB_LOG" ;;
            esac
            """,
    ]

    init() throws {
        folder = try TemporaryDirectory("cluster")
        try FileManager.default.createDirectory(atPath: folder.path("bin"), withIntermediateDirectories: true)
        for (name, text) in Self.scripts {
            try text.write(toFile: folder.path("bin/\(name)"), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path("bin/\(name)"))
        }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
    }

    /// Runs `script` (relative to the project root) with `arguments` while `workers` workers are
    /// expected: the coordinator ends (or, with `signal`, the launcher gets the signal) once they
    /// have started. Nothing waits longer than 20 s.
    func launch(
        _ script: String, _ arguments: [String], environment: [String: String] = [:], hang: Bool = false,
        signal: Int32? = nil, workers: Int = 0
    ) throws -> Run {
        let process = Process()
        process.executableURL = Fixtures.projectRoot.appendingPathComponent(script)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        merged["STUB_LOG"] = log
        merged["STUB_HANG"] = hang ? "1" : nil
        merged["STUB_WORKERS"] = String(workers)
        merged["PATH"] = "\(bin):\(merged["PATH"] ?? "/usr/bin:/bin")"
        process.environment = merged
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        if let signal {
            while lines().filter({ $0.hasPrefix("worker") }).count < workers && Date() < deadline { usleep(20_000) }
            kill(process.processIdentifier, signal)
        }
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Run(status: process.terminationStatus, lines: lines())
    }

    private func lines() -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
