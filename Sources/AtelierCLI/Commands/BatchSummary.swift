import Foundation

/// What a batch leaves at the end: a table on standard output (job, status, size, wall time,
/// tiles, retries, then the reasons of the failed jobs) and the same as JSON
/// (`RUN-DIR/batch-summary.json`, or `--summary`).
struct BatchSummary: Codable, Equatable {
    var batch: String
    var runDir: String
    /// This run's wall time (jobs skipped as done cost nothing).
    var seconds: Double
    /// Every job in batch order; a job done by an earlier run is `skipped`, with that run's numbers.
    var jobs: [BatchState.Job]
    var done: Int
    var skipped: Int
    var failed: Int

    /// The file's name in the run directory.
    static let fileName = "batch-summary.json"

    init(batch: String, runDir: String, seconds: Double, jobs: [BatchState.Job]) {
        self.batch = batch
        self.runDir = runDir
        self.seconds = seconds
        self.jobs = jobs
        done = jobs.filter { $0.status == .done }.count
        skipped = jobs.filter { $0.status == .skipped }.count
        failed = jobs.filter { $0.status == .failed }.count
    }

    /// Whether every job has its output (done now or before).
    var succeeded: Bool { done + skipped == jobs.count }

    /// The table: a header, one aligned row per job, then `name: reason` for each failed job.
    var table: String {
        let header = ["job", "status", "size", "wall time", "tiles", "retries"]
        let rows = jobs.map { job -> [String] in
            let size = job.width.flatMap { width in job.height.map { "\(width)x\($0)" } }
            return [
                job.name, job.status.rawValue, size ?? "-", job.seconds.map(Self.wallTime) ?? "-",
                job.tiles.map(String.init) ?? "-", job.retries.map(String.init) ?? "-",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
        // Text columns are aligned left, numbers right.
        let rightAligned: Set = [3, 4, 5]
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return rightAligned.contains(column) ? padding + cells[column] : cells[column] + padding
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var lines = ([header] + rows).map(line)
        let failures = jobs.filter { $0.status == .failed }
        if !failures.isEmpty {
            lines.append("")
            lines.append("failed:")
            lines += failures.map { "  \($0.name): \($0.reason ?? "unknown reason")" }
        }
        lines.append("")
        lines.append(
            "\(jobs.count) jobs: \(done) done, \(skipped) skipped (done before), \(failed) failed,"
                + " \(jobs.count - done - skipped - failed) not run")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `12.3 s` under a minute, else `H:MM:SS`, as an overnight batch's jobs run for hours.
    static func wallTime(_ seconds: Double) -> String {
        guard seconds >= 60 else { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
    }

    func write(to path: String) throws {
        try JSONFile.write(self, to: path)
    }
}
