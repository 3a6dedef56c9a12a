import ArgumentParser
import Foundation

/// The `atelier` command: one root with a subcommand per job (DESIGN.md §7).
struct Atelier: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atelier",
        abstract: "Deep-semantic-space guided multi-scale neural style transfer, at any scale.",
        subcommands: [
            StylizeCommand.self, DssCommand.self, EdgesCommand.self, InfoCommand.self, BenchCommand.self,
            KeysCommand.self, CoordinatorCommand.self, WorkerCommand.self, MakeTestImageCommand.self,
            StreamLevelCommand.self,
        ]
    )
}

/// Entry point. ArgumentParser's own `main()` exits with 64 on a usage error; the contract in
/// DESIGN.md §7 is 2 for usage or configuration errors, 3 for a bad input file and 1 otherwise,
/// each with a one-line message, so parsing and running are driven by hand here.
@main
enum AtelierMain {
    static func main() async {
        let command: ParsableCommand
        do {
            command = try Atelier.parseAsRoot()
        } catch {
            if Atelier.exitCode(for: error) == .success {
                Atelier.exit(withError: error)  // --help and friends print and exit 0
            }
            fail(Atelier.message(for: error), status: .usage)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch where Atelier.exitCode(for: error) == .success {
            Atelier.exit(withError: error)  // a command group run without a subcommand prints help
        } catch {
            let status = ExitStatus(for: error)
            fail(status == .usage ? Atelier.message(for: error) : String(describing: error), status: status)
        }
    }

    /// Prints `atelier: <message>` as one line on standard error and exits with `status`.
    static func fail(_ message: String, status: ExitStatus) -> Never {
        let oneLine =
            message
            .replacingOccurrences(of: "Error: ", with: "")
            .split(whereSeparator: \.isNewline)
            .first.map(String.init) ?? "failed"
        FileHandle.standardError.write(Data("atelier: \(oneLine)\n".utf8))
        Foundation.exit(status.rawValue)
    }
}
