import Foundation
import Pipeline
import TestSupport

/// The seconds-long job of the process tests: the Coastline doodle painted from Monet (both maps,
/// no content loss) at 96×72 in two levels (48×36 and 96×72), tiles of 32 with two rounds per
/// level, one iteration per round, one shallow style layer so that the halo is small. It tiles,
/// so its tiles really go to the workers.
enum DoodleJob {
    static func example(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/" + name).path
    }

    /// The configuration keys, as a job file writes them (the seed included).
    static let settings = """
        seed: 3
        size: 96
        content_weight: 0
        coarse_size: 48
        iterations: [2, 2]
        style_layers: [relu3_1]
        content_layer: relu3_1
        tile: {size: 32, overlap: 8, rounds: 2, halo: 16}
        """
    /// Tiles of the job: 2 + 2 at 48×36, 9 + 12 at 96×72.
    static let tiles = 25

    /// The input keys of a job file: content, style and both maps.
    static let inputs = """
        content: \(example("Coastline_sem.png"))
        style: \(example("Monet.png"))
        content_seg: \(example("Coastline_sem.png"))
        style_seg: \(example("Monet_sem.png"))
        """

    /// A whole job file's text with the output `output` and `extra` keys.
    static func text(output: String, extra: String = "") -> String {
        "\(inputs)\noutput: \(output)\n\(settings)\n\(extra)\n"
    }

    /// The same job's output from `atelier stylize` in one process, with `extra` arguments
    /// (`["--seed", "4"]` replaces the seed: ArgumentParser keeps an option's last value).
    static func stylize(_ extra: [String] = []) throws -> Data {
        let folder = try TemporaryDirectory()
        let out = folder.path("stylize.png")
        let run = try AtelierProcess.run(
            [
                "stylize", "--content", example("Coastline_sem.png"), "--style", example("Monet.png"),
                "--content-seg", example("Coastline_sem.png"), "--style-seg", example("Monet_sem.png"),
                "--out", out, "--seed", "3", "--size", "96", "--set", "content_weight=0", "--set", "coarse_size=48",
                "--set", "iterations=[2, 2]", "--set", "style_layers=[relu3_1]", "--set", "content_layer=relu3_1",
                "--set", "tile={size: 32, overlap: 8, rounds: 2, halo: 16}", "--threads", "1",
            ] + extra, timeout: 120)
        guard run.status == 0 else { throw PipelineError.task(reason: "stylize failed: \(run.stderr)") }
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// The job's output from `atelier stylize` (computed once per test process).
    static let reference: Result<Data, Error> = Result { try stylize() }
}
