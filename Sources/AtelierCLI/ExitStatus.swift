import ArgumentParser

/// The documented exit statuses of `atelier` (DESIGN.md §7, README "Exit status").
enum ExitStatus: Int32 {
    case success = 0
    /// Anything not covered below: an internal failure, an I/O error on output.
    case failure = 1
    /// A usage or configuration error: bad flags, an unknown `--set` key, a value out of range.
    case usage = 2
    /// A bad input file: missing, truncated, corrupt, or of an unsupported kind.
    case badInput = 3

    /// The status for an error that reached the top of a command.
    init(for error: Error) {
        switch error {
        case is ValidationError, is UsageError:
            self = .usage
        case let classified as ClassifiedError:
            self = classified.exitStatus
        default:
            self = .failure
        }
    }
}

/// An error that knows which documented exit status it stands for. Each module's error type
/// conforms here, in the CLI, so that library modules stay free of command-line concerns.
protocol ClassifiedError: Error {
    var exitStatus: ExitStatus { get }
}

/// A usage or configuration error found after parsing (for example a key in a config file).
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
