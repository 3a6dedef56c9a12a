import Foundation
import Pipeline
import Synchronization
import TestSupport

/// A job of seconds that still tiles, for the tests that run coordinators and workers as
/// processes: the Coastline doodle painted from Monet (both maps, no content loss) at 96×72 in
/// two levels (48×36 and 96×72), tiles of 32 with two rounds per level and one shallow style layer
/// so that the halo is small. `iterations` is the knob for how long a tile takes: `[2, 2]` (one
/// iteration per round) solves a tile in a fraction of a second; more at the second level makes
/// "a worker in the middle of a task" last long enough to be caught.
struct DoodleJob: Sendable {
    var iterations: [Int] = [2, 2]

    /// Tiles of the job: 2 + 2 at 48×36, 9 + 12 at 96×72.
    static let tiles = 25
    static let tilesPerLevel = [4, 21]

    static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    /// The input keys of a job file: content, style and both maps.
    static let inputs = """
        content: \(example("Coastline_sem.png"))
        style: \(example("Monet.png"))
        content_seg: \(example("Coastline_sem.png"))
        style_seg: \(example("Monet_sem.png"))
        """

    /// The configuration keys, as `--set key=value` would give them (seed and size aside).
    private var keys: [(key: String, value: String)] {
        [
            ("content_weight", "0"), ("coarse_size", "48"),
            ("iterations", "[\(iterations.map(String.init).joined(separator: ", "))]"),
            ("style_layers", "[relu3_1]"), ("content_layer", "relu3_1"),
            ("tile", "{size: 32, overlap: 8, rounds: 2, halo: 16}"),
        ]
    }

    /// The configuration keys as a job file writes them, the seed and size included.
    var settings: String { (["seed: 3", "size: 96"] + keys.map { "\($0.key): \($0.value)" }).joined(separator: "\n") }

    /// A whole job file's text with the output `output` and `extra` lines (e.g. a misspelt key).
    func text(output: String, extra: String = "") -> String {
        "\(Self.inputs)\noutput: \(output)\n\(settings)\n\(extra)\n"
    }

    /// Writes the job file into `folder` with the output `output` (relative to the job's folder)
    /// and returns its path.
    func write(in folder: TemporaryDirectory, output: String, extra: String = "") throws -> String {
        let path = folder.path("job.yaml")
        try text(output: output, extra: extra).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The job's output from `atelier stylize` in one process, with `extra` arguments
    /// (`["--seed", "4"]` replaces the seed: ArgumentParser keeps an option's last value).
    func stylize(_ extra: [String] = []) throws -> Data {
        let folder = try TemporaryDirectory()
        let out = folder.path("stylize.png")
        let run = try AtelierProcess.run(
            [
                "stylize", "--content", Self.example("Coastline_sem.png"), "--style", Self.example("Monet.png"),
                "--content-seg", Self.example("Coastline_sem.png"), "--style-seg", Self.example("Monet_sem.png"),
                "--out", out, "--seed", "3", "--size", "96", "--threads", "1",
            ] + keys.flatMap { ["--set", "\($0.key)=\($0.value)"] } + extra, timeout: 120)
        guard run.status == 0 else { throw PipelineError.task(reason: "stylize failed: \(run.stderr)") }
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// The job's output from `atelier stylize` (computed once per iteration count and test process).
    func reference() throws -> Data {
        if let known = Self.references.withLock({ $0[iterations] }) { return known }
        let bytes = try stylize()
        Self.references.withLock { $0[iterations] = bytes }
        return bytes
    }

    private static let references = Mutex<[[Int]: Data]>([:])
}

/// The coordinator's JSON summary (`--summary`), as the tests read it.
struct RunSummary {
    let json: [String: Any]

    init(contentsOf path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PipelineError.task(reason: "\(path): not a JSON object")
        }
        self.json = json
    }

    var levels: [[String: Any]] { json["levels"] as? [[String: Any]] ?? [] }
    /// The tiles each worker delivered, by the name it gave.
    var tilesByWorker: [String: Int] {
        let workers = json["workers"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: workers.compactMap { worker in
                (worker["name"] as? String).flatMap { name in (worker["tiles"] as? Int).map { (name, $0) } }
            })
    }
}
