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
            StreamLevelCommand.self, EvaluateCommand.self,
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
            fail(line(for: error), status: ExitStatus(for: error))
        }
    }

    /// The one line that tells what `error` was (as printed when it ends a command, and as a
    /// batch records a failed job's reason).
    static func line(for error: Error) -> String {
        oneLine(ExitStatus(for: error) == .usage ? Atelier.message(for: error) : String(describing: error))
    }

    /// Prints `atelier: <message>` as one line on standard error and exits with `status`.
    static func fail(_ message: String, status: ExitStatus) -> Never {
        FileHandle.standardError.write(Data("atelier: \(oneLine(message))\n".utf8))
        Foundation.exit(status.rawValue)
    }

    private static func oneLine(_ message: String) -> String {
        message.replacingOccurrences(of: "Error: ", with: "").split(whereSeparator: \.isNewline).first.map(String.init)
            ?? "failed"
    }
}
