import ArgumentParser

/// `atelier bench …`: speed measured as ratios within one process (DESIGN.md §8).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed as ratios against SGEMM in the same process.",
        subcommands: []
    )
}
