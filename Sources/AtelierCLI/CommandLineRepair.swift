import ArgumentParser
import Foundation

/// What turns ArgumentParser's parse errors into the one line a newcomer needs: a negative
/// number given to an option is its value (`--size -5` is checked as a size, not reported as a
/// missing value), a misspelled option or subcommand gets a did-you-mean, and every usage error
/// keeps the pointer to the command's `--help`.
enum CommandLineRepair {
    /// `--size -5` → `--size=-5`: ArgumentParser reads a token that starts with `-` as an option,
    /// and no option of this command is named by a number.
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word.hasPrefix("--"), !word.contains("="), index + 1 < arguments.count,
               isNegativeNumber(arguments[index + 1]) {
                result.append(word + "=" + arguments[index + 1])
                index += 2
            } else {
                result.append(word)
                index += 1
            }
        }
        return result
    }

    /// A negative number, or a list of numbers that starts with one (`--style-weights -1,2`).
    private static func isNegativeNumber(_ word: String) -> Bool {
        word.count > 1 && word.hasPrefix("-")
            && word.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { Double($0) != nil }
    }

    /// The command the leading words of `arguments` name (`bench nn` → its type) and how many
    /// words that took (0: the root).
    static func command(in arguments: [String]) -> (type: ParsableCommand.Type, words: Int) {
        var command: ParsableCommand.Type = Atelier.self
        var words = 0
        while words < arguments.count,
              let next = command.configuration.subcommands.first(where: { $0._commandName == arguments[words] }) {
            command = next
            words += 1
        }
        return (command, words)
    }

    /// The one-line message for a parse error: an unknown subcommand or option named with the
    /// nearest known one, else ArgumentParser's own first line; with the `--help` hint.
    static func message(for error: Error, arguments: [String]) -> String {
        let (command, words) = command(in: arguments)
        let names = command.configuration.subcommands.map { $0._commandName }
        if !names.isEmpty, words < arguments.count, !arguments[words].hasPrefix("-") {
            let word = arguments[words]
            let guess = nearest(word, among: names).map { "; did you mean '\($0)'?" } ?? ""
            return "unknown command '\(word)'\(guess) (see '\(name(of: arguments, words: words)) --help')"
        }
        let options = options(of: command)
        for word in arguments.dropFirst(words) where word.hasPrefix("--") {
            let name = String(word.split(separator: "=", maxSplits: 1)[0])
            guard !options.contains(name), name != "--" else { continue }
            let guess = nearest(name, among: options).map { "; did you mean '\($0)'?" } ?? ""
            return withHelpHint("unknown option '\(name)'\(guess)", arguments: arguments)
        }
        return withHelpHint(AtelierMain.oneLine(Atelier.message(for: error)), arguments: arguments)
    }

    /// `text` with "(see 'atelier COMMAND --help')" after it.
    static func withHelpHint(_ text: String, arguments: [String]) -> String {
        "\(text) (see '\(name(of: arguments, words: command(in: arguments).words)) --help')"
    }

    /// "atelier bench nn": the root and the first `words` arguments.
    private static func name(of arguments: [String], words: Int) -> String {
        (["atelier"] + arguments.prefix(words)).joined(separator: " ")
    }

    /// The long options a command's help lists (`--content`, `--out`, …).
    static func options(of command: ParsableCommand.Type) -> [String] {
        let help = command.helpMessage(columns: 1000)
        let pattern = try! NSRegularExpression(pattern: "--[a-z0-9][a-z0-9-]*")
        let range = NSRange(help.startIndex..., in: help)
        let found = pattern.matches(in: help, range: range).compactMap { match in
            Range(match.range, in: help).map { String(help[$0]) }
        }
        return Array(Set(found + ["--help", "--version"])).sorted()
    }

    /// The candidate within edit distance 2 of `word` (a third of its length for long words),
    /// the closest first; nil when none is that close.
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }

    /// Levenshtein distance, with an adjacent swap counting as one edit (`contnet` → `content`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
