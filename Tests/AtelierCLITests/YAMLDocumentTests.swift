import Foundation
import TestSupport
import XCTest

@testable import AtelierCLI

/// Job, batch and configuration YAML is read defensively: an alias bomb, a repeated key and an
/// oversized or endless file are refused before any value is made, naming the file and the line.
final class YAMLDocumentTests: XCTestCase {
    /// Nine lines that Yams alone expands to 9⁹ strings (3.1 GB measured on main).
    static let aliasBomb = (0..<9).map { level -> String in
        let name = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(level)))
        let item = level == 0 ? "\"lol\"" : "*" + String(UnicodeScalar(UInt8(ascii: "a") + UInt8(level - 1)))
        return "\(name): &\(name) [\(Array(repeating: item, count: 9).joined(separator: ","))]"
    }.joined(separator: "\n") + "\n"

    private func refusal(_ text: String) -> String? {
        do {
            _ = try YAMLDocument.load(text, source: "f.yaml")
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testAliasesAreRefusedBeforeTheyExpand() {
        let start = Date()
        XCTAssertEqual(
            refusal(Self.aliasBomb),
            "f.yaml: line 1: the anchor there is used again through an alias (*name); YAML anchors and aliases are"
                + " not allowed here: write the value out")
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "the check does not walk the expanded tree")
        XCTAssertEqual(
            refusal("seed: 1\nx: &v {size: 64}\ntile: *v\n"),
            "f.yaml: line 2: the anchor there is used again through an alias (*name); YAML anchors and aliases are"
                + " not allowed here: write the value out")
        XCTAssertNotNil(refusal("base: &b {seed: 1}\njob:\n  <<: *b\n"), "a merge key is an alias too")
        XCTAssertNotNil(refusal("iterations: [&n 3, *n]\n"))
    }

    func testRepeatedKeysAreRefusedWithTheirLines() {
        XCTAssertEqual(
            refusal("seed: 3\nsize: 64\nseed: 4\n"),
            "f.yaml: the key 'seed' is given twice (lines 1 and 3); keep one: the second would silently replace"
                + " the first")
        XCTAssertEqual(
            refusal("tile: {size: 64, size: 128}\n"),
            "f.yaml: the key 'size' is given twice (on line 1); keep one: the second would silently replace the first")
        XCTAssertNotNil(refusal("seed: 3\n'seed': 4\n"), "quoting does not make another key")
        XCTAssertNotNil(refusal("jobs:\n  - name: a\n    size: 1\n    size: 2\n"), "nested mappings are checked")
    }

    /// Documents that are neither: equal values in many places, empty values (which share marks
    /// with what follows them), nested empty collections, and every shipped configuration.
    func testOrdinaryDocumentsLoadAsYamsLoadsThem() throws {
        let text = "a:\nb:\nc:\n  d:\n  e:\nf:\n  -\n  -\ng: {x: , y: }\nh: []\nk: [a, a, a]\nl: [[], [], {}, {}]\n"
            + "m: [[1], [1]]\nn: [{p: 1}, {p: 1}]\n"
        let loaded = try XCTUnwrap(try YAMLDocument.load(text, source: "f.yaml") as? [String: Any])
        XCTAssertEqual(loaded.keys.sorted(), ["a", "b", "c", "f", "g", "h", "k", "l", "m", "n"])
        XCTAssertEqual(loaded["k"] as? [String], ["a", "a", "a"])
        XCTAssertEqual((loaded["n"] as? [[String: Int]])?.map { $0["p"] }, [1, 1])
        XCTAssertNil(try YAMLDocument.load("", source: "f.yaml"))
        XCTAssertNil(try YAMLDocument.load("# only a comment\n", source: "f.yaml"))
        let configs = Fixtures.projectRoot.appendingPathComponent("Configs").path
        for name in try FileManager.default.contentsOfDirectory(atPath: configs) where name.hasSuffix(".yaml") {
            XCTAssertNoThrow(try Configuration.mapping(file: "\(configs)/\(name)", what: "file"), name)
        }
    }

    func testFilesAreCappedAndMustBeRegular() throws {
        let folder = try TemporaryDirectory()
        let big = folder.path("big.yaml")
        try ("seed: 1\n" + String(repeating: "#", count: YAMLDocument.largestFile)).write(
            toFile: big, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Configuration.mapping(file: big, what: "job file")) { error in
            XCTAssertEqual(
                "\(error)",
                "\(big): the job file is \(YAMLDocument.largestFile + 8) bytes; at most 1048576 (1 MiB) are read")
        }
        XCTAssertThrowsError(try Configuration.mapping(file: "/dev/zero", what: "job file")) { error in
            XCTAssertEqual("\(error)", "/dev/zero: the job file is not a regular file")
        }
        XCTAssertThrowsError(try Configuration.mapping(file: folder.path("none.yaml"), what: "batch file")) { error in
            XCTAssertEqual(
                "\(error)", "\(folder.path("none.yaml")): cannot read the batch file (No such file or directory)")
        }
    }

    /// The bomb, a repeated key and a huge file through each command that reads YAML: exit 2 at
    /// once, one line naming the file (no 3 GB, no last-value-wins run).
    func testEveryYAMLEntryPointRefusesThemWithStatus2() throws {
        let folder = try TemporaryDirectory()
        let bomb = folder.path("bomb.yaml")
        try Self.aliasBomb.write(toFile: bomb, atomically: true, encoding: .utf8)
        let repeated = try DoodleJob().write(in: folder, output: folder.path("out.png"), extra: "seed: 9")
        let batch = folder.path("batch.yaml")
        try "jobs: [\(repeated)]\njobs: [\(repeated)]\n".write(toFile: batch, atomically: true, encoding: .utf8)
        let content = DoodleJob.example("Coastline_sem.png"), style = DoodleJob.example("Monet.png")
        let runs: [(arguments: [String], file: String, reason: String)] = [
            (["stylize", "--content", content, "--style", style, "--out", folder.path("o.png"), "--config", bomb],
             bomb, "line 1: the anchor there is used again"),
            (["coordinator", "--job", bomb, "--bind", "tcp://127.0.0.1:*"], bomb, "line 1: the anchor there"),
            (["coordinator", "--job", repeated, "--bind", "tcp://127.0.0.1:*"], repeated,
             "the key 'seed' is given twice"),
            (["coordinator", "--batch", batch, "--bind", "tcp://127.0.0.1:*", "--run-dir", folder.path("run")],
             batch, "the key 'jobs' is given twice (lines 1 and 2)"),
        ]
        for run in runs {
            let result = try AtelierProcess.run(run.arguments, timeout: 60)
            XCTAssertEqual(result.status, 2, "\(run.arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("atelier: \(run.file): \(run.reason)"), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("out.png")))
        }
    }
}
