import ArgumentParser
import Foundation

/// The `atelier` command: one root with a subcommand per job (DESIGN.md §7).
struct Atelier: AsyncParsableCommand {
    /// This build's version (`atelier --version`); protocol and run-directory versions are their own.
    static let version = "0.9.0"

    static let configuration = CommandConfiguration(
        commandName: "atelier",
        abstract: "Turns a photo into a painting in the style of another picture, from a thumbnail to a gigapixel.",
        version: version,
        subcommands: [
            StylizeCommand.self, DssCommand.self, EdgesCommand.self, InfoCommand.self, BenchCommand.self,
            KeysCommand.self, CoordinatorCommand.self, WorkerCommand.self, MakeTestImageCommand.self,
            StreamLevelCommand.self, EvaluateCommand.self, ServeCommand.self,
        ]
    )
}

/// Entry point. ArgumentParser's own `main()` exits with 64 on a usage error; the contract in
/// DESIGN.md §7 is 2 for usage or configuration errors, 3 for a bad input file and 1 otherwise,
/// each with a one-line message, so parsing and running are driven by hand here. A run stopped
/// by SIGINT or SIGTERM ends with 130 or 143, as the shell reports a process the signal killed.
@main
enum AtelierMain {
    static func main() async {
        let arguments = CommandLineRepair.joiningNegativeValues(Array(CommandLine.arguments.dropFirst()))
        let command: ParsableCommand
        do {
            command = try Atelier.parseAsRoot(arguments)
        } catch {
            if Atelier.exitCode(for: error) == .success {
                Atelier.exit(withError: error)  // --help and friends print and exit 0
            }
            fail(CommandLineRepair.message(for: error, arguments: arguments), status: .usage)
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
        } catch let interrupted as Interrupted {
            FileHandle.standardError.write(Data("atelier: \(oneLine(interrupted.description))\n".utf8))
            Foundation.exit(interrupted.status)
        } catch where Atelier.exitCode(for: error) == .success {
            Atelier.exit(withError: error)  // a command group run without a subcommand prints help
        } catch {
            // A flag's error points to the command's help; a file's or a key's names what to fix already.
            let text = line(for: error)
            fail(error is ValidationError ? CommandLineRepair.withHelpHint(text, arguments: arguments) : text,
                 status: ExitStatus(for: error))
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

    static func oneLine(_ message: String) -> String {
        message.replacingOccurrences(of: "Error: ", with: "").split(whereSeparator: \.isNewline).first.map(String.init)
            ?? "failed"
    }
}
