import Foundation
import Yams

/// The YAML of job, batch and configuration files and of `--set` values, read defensively: a
/// file is capped in size before it is parsed, and a document is composed into Yams' node tree
/// (where an alias is the anchored node again, not a copy) and checked before it is turned into
/// values, because that conversion copies every alias: nine lines of nested aliases (a "billion
/// laughs" bomb) become gigabytes. Aliases and repeated keys are refused (a repeated key would
/// silently keep its last value); no setting needs either.
enum YAMLDocument {
    /// The largest file read: the longest shipped configuration is a few kilobytes.
    static let largestFile = 1 << 20

    /// The text of the YAML file at `path`, checked to be a regular file of at most `largestFile`
    /// bytes before it is read (a FIFO or a device would never end).
    /// - Throws: `UsageError` naming the file: unreadable, not a regular file, too large, not UTF-8.
    static func text(ofFile path: String, what: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw UsageError("\(path): cannot read the \(what) (\(String(cString: strerror(errno))))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw UsageError("\(path): the \(what) is not a regular file") }
        guard status.st_size <= largestFile else {
            throw UsageError("\(path): the \(what) is \(status.st_size) bytes; at most \(largestFile) (1 MiB) are read")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw UsageError("\(path): cannot read the \(what) (\(String(cString: strerror(errno))))")
        }
        defer { try? handle.close() }
        // The size is checked again on what was read: the file may have grown since stat.
        let data: Data
        do {
            data = try handle.read(upToCount: largestFile + 1) ?? Data()
        } catch {
            throw UsageError("\(path): cannot read the \(what) (\(error.localizedDescription))")
        }
        guard data.count <= largestFile else {
            throw UsageError("\(path): the \(what) is over \(largestFile) bytes (1 MiB); at most that is read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw UsageError("\(path): the \(what) is not UTF-8 text")
        }
        return text
    }

    /// The values of the YAML document `text` (nil for an empty one), as `Yams.load` gives them.
    /// - Parameter source: what an error names first: the file, or `--set key`.
    /// - Throws: `UsageError` naming `source`: not YAML, an alias, a repeated key (with its line).
    static func load(_ text: String, source: String) throws -> Any? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            let reason = String(describing: error).split(whereSeparator: \.isNewline).first ?? ""
            throw UsageError("\(source): not valid YAML (\(reason))")
        }
        guard let root else { return nil }
        var check = TreeCheck()
        if let problem = check.problem(in: root) { throw UsageError("\(source): \(problem)") }
        return root.any
    }

    /// A walk over a composed tree that stops at the first alias or repeated key. Yams gives an
    /// alias the anchored node itself, with the anchor's mark: a node met again at a mark already
    /// seen, and equal to the node first met there, is an alias. Stopping there keeps the walk
    /// linear in the text, however large the tree it stands for.
    private struct TreeCheck {
        /// The node first met at each mark ("line:column").
        var seen: [String: Node] = [:]

        mutating func problem(in node: Node) -> String? {
            if let mark = node.mark, !Self.isEmptyScalar(node) {
                let place = mark.description
                if let first = seen[place], first == node {
                    return "line \(mark.line): the anchor there is used again through an alias (*name);"
                        + " YAML anchors and aliases are not allowed here: write the value out"
                }
                seen[place] = node
            }
            switch node {
            case .scalar:
                return nil
            case .sequence(let sequence):
                for element in sequence {
                    if let problem = problem(in: element) { return problem }
                }
                return nil
            case .mapping(let mapping):
                // Keys are compared by their text: settings are read by name, whatever the tag.
                var keys: [String: Mark?] = [:]
                for (key, value) in mapping {
                    if let problem = problem(in: key) { return problem }
                    let name = key.string ?? "\(key)"
                    if let earlier = keys.updateValue(key.mark, forKey: name) {
                        let lines = [earlier, key.mark].compactMap { $0?.line }
                        let place = lines.count == 2 && lines[0] != lines[1]
                            ? " (lines \(lines[0]) and \(lines[1]))" : lines.first.map { " (on line \($0))" } ?? ""
                        return "the key '\(name)' is given twice\(place); keep one: the second would silently"
                            + " replace the first"
                    }
                    if let problem = problem(in: value) { return problem }
                }
                return nil
            }
        }

        /// An empty scalar (a key without a value) takes the mark of the token after it, which
        /// another empty scalar may share: such nodes say nothing about aliases, and expand to nothing.
        static func isEmptyScalar(_ node: Node) -> Bool {
            if case .scalar(let scalar) = node { return scalar.string.isEmpty }
            return false
        }
    }
}
