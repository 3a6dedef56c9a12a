import Foundation
import Glibc
import TestSupport
import XCTest

@testable import AtelierCLI

/// The output path is checked before any work (`StylizeJob.checkOutput`), for `stylize --out`, a
/// job file's `output` and a batch job's: never one of the inputs (whatever symbolic link, `..` or
/// hard link names it), never a folder, in a folder that exists and can be written. Each refusal
/// is exit 2 with one line naming the flag or key and the file, and leaves the inputs untouched.
final class OutputPathTests: XCTestCase {
    private var folder: TemporaryDirectory!
    private var content: String { folder.path("in/content.png") }
    private var style: String { folder.path("in/style.png") }
    private var original = Data()

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.path("in"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: DoodleJob.example("Coastline_sem.png"), toPath: content)
        try FileManager.default.copyItem(atPath: DoodleJob.example("Monet.png"), toPath: style)
        original = try Data(contentsOf: URL(fileURLWithPath: content))
    }

    /// Runs `stylize` with `--out out` (and `extra`), expecting exit 2 with exactly `message`.
    private func assertStylizeRefuses(
        out: String, _ message: String, extra: [String] = [], launcher: [String] = [], line: UInt = #line
    ) throws {
        let arguments = ["stylize", "--content", content, "--style", style, "--out", out, "--size", "64"] + extra
        let (status, stderr) = launcher.isEmpty
            ? try AtelierProcess.run(arguments, timeout: 60).statusAndErrors
            : try Self.run(launcher + [AtelierProcess.binary.path] + arguments)
        XCTAssertEqual(status, 2, stderr, line: line)
        XCTAssertEqual(stderr, "atelier: \(message)\n", line: line)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: content)), original, "the input changed", line: line)
    }

    /// Runs `command` (a launcher and its arguments) and returns its status and standard error.
    private static func run(_ command: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testAnOutputThatIsAnInputIsRefusedWhateverNamesIt() throws {
        let overwrite = "is the same file as --content (\(content)); writing it would destroy the input"
        try assertStylizeRefuses(out: content, "--out \(content): \(overwrite)")
        let dotted = folder.url.path + "/in/../in/./content.png"
        try assertStylizeRefuses(out: dotted, "--out \(dotted): \(overwrite)")
        let link = folder.path("link.png")
        XCTAssertEqual(symlink(content, link), 0)
        try assertStylizeRefuses(out: link, "--out \(link): \(overwrite)")
        try FileManager.default.createDirectory(atPath: folder.path("linked"), withIntermediateDirectories: true)
        XCTAssertEqual(symlink(folder.path("in"), folder.path("linked/dir")), 0)
        let throughFolder = folder.path("linked/dir/content.png")
        try assertStylizeRefuses(out: throughFolder, "--out \(throughFolder): \(overwrite)")
        let hard = folder.path("hard.png")
        XCTAssertEqual(Glibc.link(content, hard), 0)
        try assertStylizeRefuses(out: hard, "--out \(hard): \(overwrite)")
        // A map is an input too, named by its own flag.
        let map = folder.path("in/map.png")
        try FileManager.default.copyItem(atPath: DoodleJob.example("Monet_sem.png"), toPath: map)
        try assertStylizeRefuses(
            out: map, "--out \(map): is the same file as --style-seg (\(map)); writing it would destroy the input",
            extra: ["--content-seg", DoodleJob.example("Coastline_sem.png"), "--style-seg", map])
    }

    func testAFolderAMissingFolderOrAnUnwritableOneIsRefusedBeforeAnyWork() throws {
        try assertStylizeRefuses(
            out: folder.path("in"), "--out \(folder.path("in")): is a folder; give the output a file name")
        let missing = folder.path("nowhere/out.png")
        try assertStylizeRefuses(
            out: missing,
            "--out \(missing): its folder \(folder.path("nowhere")) cannot be used (No such file or directory);"
                + " create it first")
        let underFile = folder.path("in/content.png/out.png")
        try assertStylizeRefuses(
            out: underFile, "--out \(underFile): its folder \(content) is not a folder")

        // Read-only for the user who runs it: root passes every permission check, so as root the
        // command runs as `nobody` (setpriv), which may read the inputs but not write the folder.
        let locked = folder.path("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(locked, 0o555), 0)
        XCTAssertEqual(chmod(folder.url.path, 0o755), 0)
        XCTAssertEqual(chmod(folder.path("in"), 0o755), 0)
        let launcher = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        try assertStylizeRefuses(
            out: locked + "/out.png",
            "--out \(locked)/out.png: cannot write into its folder \(locked) (Permission denied)", launcher: launcher)
    }

    /// A job file's `output` that is its `content`: exit 2 naming the job file and the keys, and
    /// the coordinator never listens.
    func testAJobFileWhoseOutputIsItsContentIsRefusedBeforeListening() throws {
        let job = folder.path("job.yaml")
        try "content: in/content.png\nstyle: in/style.png\noutput: in/content.png\n"
            .write(toFile: job, atomically: true, encoding: .utf8)
        let run = try AtelierProcess.run(["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:*"], timeout: 60)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(
            run.stderr,
            "atelier: \(job): output \(content): is the same file as content (\(content)); writing it would destroy"
                + " the input\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: content)), original)
    }

    /// A batch job's output is checked by the same code, naming the batch entry (the batch goes on
    /// without that job, as with any job that fails).
    func testABatchJobsOutputIsCheckedNamingItsEntry() throws {
        let batch = folder.path("batch.yaml")
        try "jobs:\n  - {name: same, content: in/content.png, style: in/style.png, output: in/style.png}\n"
            .write(toFile: batch, atomically: true, encoding: .utf8)
        let file = try BatchFile.read(batch)
        let job = try JobFile.job(from: try file.layers(of: file.entries[0]), weights: nil, previewDir: nil)
        XCTAssertThrowsError(try job.checkOutput()) { error in
            XCTAssertEqual(
                "\(error)",
                "\(batch): jobs entry 1 (same): output \(style): is the same file as style (\(style)); writing it"
                    + " would destroy the input")
        }
        XCTAssertEqual(ExitStatus(for: try XCTUnwrap(Result { try job.prepare() }.failureError)), .usage)
    }
}

extension AtelierProcess.Outcome {
    fileprivate var statusAndErrors: (Int32, String) { (status, stderr) }
}

extension Result {
    fileprivate var failureError: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
