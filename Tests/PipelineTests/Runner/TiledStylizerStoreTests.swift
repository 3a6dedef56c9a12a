import Foundation
import ImageIO
import Tensor
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

/// The tiled runner over a run directory (Float32 canvas files, one file per accepted result, a
/// manifest after every round): the same bytes as in memory, and a run interrupted in the middle
/// of a round resumes without solving a stored tile again and ends with the same bytes.
final class TiledStylizerStoreTests: XCTestCase {
    private static let settings = PipelineFixtures.settings(tileSize: 64, coarseSize: 96, iterations: [2, 2])
    private static func inputs() -> MultiScaleStylizer.Inputs { PipelineFixtures.inputs(width: 192, height: 128, seed: 2) }
    /// Tiles of the job: 2 + 2 at 96×64, 6 + 12 at 192×128.
    private static let tiles = 22
    private static let jobHash = JobHash.of(["test": "TiledStylizerStoreTests"])

    /// Solves tasks in this process, counting them, and fails (as a killed coordinator would stop)
    /// once `failAfter` results have been accepted and stored.
    private final class CountingExecutor: TileExecutor {
        let inner = SequentialTileExecutor(solver: TileSolver(vgg: PipelineFixtures.vgg()))
        var solved = 0
        let failAfter: Int?
        init(failAfter: Int? = nil) { self.failAfter = failAfter }

        func run(
            style: StyleMessage, keys: [TileResultKey], task: (TileResultKey) throws -> TaskMessage,
            accept: (TileResultRecord) throws -> Void
        ) throws {
            try inner.run(style: style, keys: keys, task: task) { record in
                try accept(record)
                solved += 1
                if solved == failAfter { throw PipelineError.task(reason: "killed") }
            }
        }
    }

    /// Runs the job over the run directory at `path` and returns the final level's pixels.
    private func run(
        in path: String, resume: Bool, executor: CountingExecutor, discarded: @escaping (String) -> Void = { _ in }
    ) throws -> Tensor {
        let directory = try RunDirectory(path: path)
        defer { try? directory.close() }
        let store = try RunDirectoryLevelStore(
            directory: directory, manifest: try directory.start(jobHash: Self.jobHash, resume: resume))
        defer { try? store.close() }
        let stylizer = TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.settings)
        stylizer.discarded = discarded
        let canvas = try stylizer.run(Self.inputs(), width: 192, height: 128, store: store, executor: executor)
        return canvas.read(PixelRect(width: 192, height: 128))
    }

    /// `body` over the run directory at `path`, opened and closed again.
    private func inspect<T>(_ path: String, _ body: (RunDirectory) throws -> T) throws -> T {
        let directory = try RunDirectory(path: path)
        defer { try? directory.close() }
        return try body(directory)
    }

    func testARunDirectoryGivesTheInMemoryBytes() throws {
        let reference = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.settings)
            .run(Self.inputs(), width: 192, height: 128)
        let folder = try TemporaryDirectory()
        let executor = CountingExecutor()
        let image = try run(in: folder.path("run"), resume: false, executor: executor)
        XCTAssertEqual(image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        XCTAssertEqual(executor.solved, Self.tiles)
        let manifest = try XCTUnwrap(try inspect(folder.path("run")) { try $0.readManifest() })
        XCTAssertEqual(manifest.levels.map(\.roundsCompleted), [2, 2])
        XCTAssertEqual(manifest.completedTiles, [], "completed rounds forget their tiles")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path("run/tiles/level-1")), [],
                       "the results of checkpointed rounds are removed")
    }

    /// Killed after 9 results (the second round of the first level checkpointed, 5 tiles of the
    /// next level's first round stored), the run resumes: the 13 tiles left are solved, no other,
    /// and the image has the uninterrupted run's bytes.
    func testAnInterruptedRunResumesWithoutSolvingAStoredTileAgain() throws {
        let reference = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.settings)
            .run(Self.inputs(), width: 192, height: 128)
        let folder = try TemporaryDirectory()
        let path = folder.path("run")
        let first = CountingExecutor(failAfter: 9)
        XCTAssertThrowsError(try run(in: path, resume: false, executor: first)) { error in
            XCTAssertEqual("\(error)".contains("killed"), true, "\(error)")
        }
        let stored = try inspect(path) { try $0.tiles.completedTiles(level: 1, round: 0) }
        XCTAssertEqual(stored, [0, 1, 2, 3, 4])
        let checkpoint = try XCTUnwrap(try inspect(path) { try $0.readManifest() })
        XCTAssertEqual(checkpoint.levels.map(\.roundsCompleted), [2, 0])

        XCTAssertThrowsError(try run(in: path, resume: false, executor: CountingExecutor())) { error in
            XCTAssertEqual(error as? PipelineStoreError, .existingRun(path: path))
        }
        let second = CountingExecutor()
        let image = try run(in: path, resume: true, executor: second)
        XCTAssertEqual(second.solved, Self.tiles - 9, "only the tiles without a stored result are solved")
        XCTAssertEqual(image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
    }

    /// Stored results that cannot be blended are found before any tile is solved, each logged in
    /// one line naming its file, removed and solved again, so the resumed run ends with the
    /// uninterrupted run's bytes (before: exit 3 at the blend, on every resume). The damage: a
    /// flipped pixel byte (checksum), a file cut short, a valid record in another tile's place, a
    /// valid record with a NaN pixel, and a result of a tile the plan does not have.
    func testDamagedStoredResultsAreFoundUpFrontRemovedAndSolvedAgain() throws {
        let reference = try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.settings)
            .run(Self.inputs(), width: 192, height: 128)
        let folder = try TemporaryDirectory()
        let path = folder.path("run")
        XCTAssertThrowsError(try run(in: path, resume: false, executor: CountingExecutor(failAfter: 9)))
        let key = { (tile: Int) in TileResultKey(job: "local", level: 1, round: 0, tile: tile) }
        let (files, misplaced, stray) = try inspect(path) { directory -> ([String], String, String) in
            let tiles = directory.tiles
            XCTAssertEqual(try tiles.completedTiles(level: 1, round: 0), [0, 1, 2, 3, 4])
            // Tile 2's valid record stored as tile 3's; tile 4's with a NaN pixel; tile 0 of a level
            // that is not there.
            var moved = try tiles.read(key(2))
            moved.key = key(3)
            try tiles.remove(key(3))
            try tiles.write(moved)
            let poisoned = try tiles.read(key(4))
            poisoned.pixels.withUnsafeMutableBufferPointer { $0[7] = .nan }
            try tiles.remove(key(4))
            try tiles.write(poisoned)
            var stray = try tiles.read(key(0))
            stray.key = TileResultKey(job: "local", level: 5, round: 0, tile: 0)
            try tiles.write(stray)
            return ((0...4).map { tiles.path(of: key($0)) }, tiles.path(of: key(3)), tiles.path(of: stray.key))
        }
        try damage(files[0], at: 200, with: [0xFF, 0x00, 0xFF])
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: files[1])[.size] as? Int)
        try damage(files[1], truncateTo: size - 10)

        var lines: [String] = []
        let second = CountingExecutor()
        let image = try run(in: path, resume: true, executor: second) { lines.append($0) }
        XCTAssertEqual(image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
        XCTAssertEqual(second.solved, Self.tiles - 9 + 4, "the 4 damaged tiles are solved again, tile 2 is not")
        XCTAssertEqual(lines.count, 5, lines.joined(separator: "\n"))
        for line in lines {
            XCTAssertTrue(line.hasSuffix("; removed, the tile is solved again"), line)
            XCTAssertFalse(line.contains("\n"), line)
        }
        XCTAssertTrue(
            lines.contains("\(files[0]): damaged: checksum mismatch; removed, the tile is solved again"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(files[1]): damaged: truncated") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(misplaced): damaged: a result for ") }, "\(lines)")
        XCTAssertTrue(lines.contains("\(files[4]): damaged: non-finite pixels; removed, the tile is solved again"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("\(stray): damaged: level 5 round 0 tile 0 is not a tile") })
        XCTAssertFalse(FileManager.default.fileExists(atPath: stray))
    }

    /// The start of every finer level, made rectangle by rectangle from the coarser canvas (a
    /// file), has the bytes of the whole-image bicubic resize, with chunks that do not divide the
    /// image.
    func testEnlargingByRectangleEqualsTheWholeImageResize() throws {
        var random = SeededRandom(seed: 11)
        let coarse = random.tensor(Shape(channels: 3, height: 37, width: 53), in: -0.1...1.1)
        let folder = try TemporaryDirectory()
        let file = try CanvasFile.create(
            at: folder.path("coarse.canvas"), channels: 3, width: 53, height: 37, precision: .float32)
        defer { try? file.close() }
        file.write(coarse, at: PixelRect(width: 53, height: 37))
        for band in [16, 512] {
            let fine = MemoryCanvas(channels: 3, width: 106, height: 75)
            try fine.fill(enlarging: file, band: band)
            let whole = MultiScaleStylizer.resized(coarse, width: 106, height: 75, kind: .bicubic)
            XCTAssertEqual(fine.tensor.array.map(\.bitPattern), whole.array.map(\.bitPattern), "band \(band)")
        }
    }

    // MARK: - Faults of the disk

    /// The job's pixels from a run in memory, without a run directory.
    private func inMemoryRun() throws -> Tensor {
        try TiledStylizer(vgg: PipelineFixtures.vgg(), settings: Self.settings)
            .run(Self.inputs(), width: 192, height: 128)
    }

    /// Runs the job with `fault` in the store's system calls: it must fail with one line naming
    /// a file whose path contains `file`, the call `operation` and the system's reason for `code`,
    /// leave no temporary file, and a resumed run without the fault must end with `reference`.
    private func assertFaultIsReportedAndResumable(
        _ fault: StoreFault, file: String, operation: String, code: Int32, reference: Tensor,
        line: UInt = #line
    ) throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("run")
        XCTAssertThrowsError(
            try SystemCallTable.with(fault.table) { try run(in: path, resume: false, executor: CountingExecutor()) }
        ) { error in
            guard case .io(let failed, let call, let reason)? = error as? PipelineStoreError else {
                return XCTFail("not a store error: \(error)", line: line)
            }
            XCTAssertTrue(failed.contains(file), "\(failed) is not the \(file) file", line: line)
            XCTAssertTrue(call.hasPrefix(operation), "\(call) is not \(operation)", line: line)
            XCTAssertEqual(reason, String(cString: strerror(code)), line: line)
            XCTAssertFalse("\(error)".contains("\n"), line: line)
        }
        XCTAssertEqual(fault.injected, fault.effects.count, "each effect met once", line: line)
        let left = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
        XCTAssertEqual(left.filter(AtomicFile.isTemporary), [], "temporary files left", line: line)
        let image = try run(in: path, resume: true, executor: CountingExecutor())
        XCTAssertEqual(image.array.map(\.bitPattern), reference.array.map(\.bitPattern), line: line)
    }

    /// A full disk while a tile result is written (the 6th store write under tiles/, in the
    /// first level's second round); a short write followed by a full disk on the next try.
    func testAFullDiskWhileStoringATileEndsInOneLineAndTheRunResumes() throws {
        let reference = try inMemoryRun()
        try assertFaultIsReportedAndResumable(
            StoreFault(.write, matching: "/tiles/", skip: 5, effects: [.error(ENOSPC)]),
            file: "/tiles/", operation: "write", code: ENOSPC, reference: reference)
        let shortThenFull = StoreFault(.write, matching: "/tiles/", skip: 7, effects: [.short(100), .error(ENOSPC)])
        try assertFaultIsReportedAndResumable(
            shortThenFull, file: "/tiles/", operation: "write", code: ENOSPC, reference: reference)
    }

    /// A full disk making a round's folder of tile results (the first level's second round), and
    /// EIO removing a blended round's results (the first level's first round, after its
    /// checkpoint): one line each, and the run resumes to the same bytes.
    func testFailedFolderMakingAndRemovalEndInOneLineAndTheRunResumes() throws {
        let reference = try inMemoryRun()
        try assertFaultIsReportedAndResumable(
            StoreFault(.mkdir, matching: "/tiles/level-0/round-1", effects: [.error(ENOSPC)]),
            file: "/tiles/level-0/round-1", operation: "mkdir", code: ENOSPC, reference: reference)
        try assertFaultIsReportedAndResumable(
            StoreFault(.unlink, matching: "/tiles/level-0/round-0/", effects: [.error(EIO)]),
            file: "/tiles/level-0/round-0/", operation: "unlink", code: EIO, reference: reference)
    }

    /// Every write of the store returns after at most 7 bytes: no error, the same bytes.
    func testShortWritesChangeNothing() throws {
        let reference = try inMemoryRun()
        let folder = try TemporaryDirectory()
        let fault = StoreFault(.write, matching: "/run/", effects: [.short(7)], repeatsLast: true)
        let image = try SystemCallTable.with(fault.table) {
            try run(in: folder.path("run"), resume: false, executor: CountingExecutor())
        }
        XCTAssertGreaterThan(fault.injected, Self.tiles, "every tile result and manifest was written in pieces")
        XCTAssertEqual(image.array.map(\.bitPattern), reference.array.map(\.bitPattern))
    }

    /// EIO from fsync of the checkpoint (the manifest's second write), of a canvas (when its
    /// level starts, and at the first round's checkpoint), and ENOSPC reserving a level's canvas.
    func testFailedSyncsAndAFullDiskAtACanvasEndInOneLineAndTheRunResumes() throws {
        let reference = try inMemoryRun()
        let faults: [(fault: StoreFault, file: String, operation: String, code: Int32)] = [
            (StoreFault(.fsync, matching: "manifest.json", skip: 1, effects: [.error(EIO)]), "manifest.json", "fsync",
             EIO),
            (StoreFault(.fsync, matching: ".canvas", effects: [.error(EIO)]), ".canvas", "fsync", EIO),
            // The end of the first round: its blend is in the canvas, the checkpoint still says round 0.
            (StoreFault(.fsync, matching: ".canvas", skip: 1, effects: [.error(EIO)]), ".canvas", "fsync", EIO),
            (StoreFault(.fallocate, matching: "level-1.canvas", effects: [.error(ENOSPC)]), "level-1.canvas",
             "posix_fallocate", ENOSPC),
        ]
        for (fault, file, operation, code) in faults {
            try assertFaultIsReportedAndResumable(
                fault, file: file, operation: operation, code: code, reference: reference)
        }
    }
}
