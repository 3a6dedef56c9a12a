import Foundation

/// The command line that continues an interrupted run: this process's own arguments, quoted for
/// a POSIX shell, with a flag added when the run needs it (`--resume`).
enum Resumption {
    static func command(adding flag: String? = nil, arguments: [String] = CommandLine.arguments) -> String {
        var words = arguments
        if let flag, !words.contains(flag) { words.append(flag) }
        return words.map(quoted).joined(separator: " ")
    }

    /// `word` as a shell reads it back: bare when it holds only safe characters, else in single quotes.
    static func quoted(_ word: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:,+@%"))
        if !word.isEmpty, word.unicodeScalars.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
