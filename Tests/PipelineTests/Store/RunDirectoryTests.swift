import Foundation
import TestSupport
import XCTest

@testable import Pipeline

final class RunDirectoryTests: XCTestCase {
    /// Two coordinators cannot share a run directory: the second is refused while the first holds
    /// the lock (in this process or another), and admitted once it is released.
    func testASecondCoordinatorIsRefusedWhileTheLockIsHeld() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("run")
        let first = try RunDirectory(path: path)
        assertStoreError(try RunDirectory(path: path), path: path, contains: "in use by another coordinator (pid \(getpid())")
        try first.close()
        let second = try RunDirectory(path: path)
        try second.close()

        // Another process (util-linux flock(1)) holds the same lock, until its `cat` reads the end
        // of our pipe: refused too.
        let holder = Process()
        let input = Pipe()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", "\(path)/lock", "cat"]
        holder.standardInput = input
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(10)
        var refused = false
        while !refused && Date() < deadline {
            do {
                try RunDirectory(path: path).close()
                usleep(20_000)
            } catch let error as PipelineStoreError {
                guard case .locked = error else { throw error }
                refused = true
            }
        }
        XCTAssertTrue(refused, "the lock held by flock(1) was not seen")
    }

    /// Writing the holder's note into the lock file goes through the store's system calls: a full
    /// disk (pwrite), a short pwrite and an I/O error emptying it (ftruncate) each end in one line
    /// naming the lock file and the call, and release the lock, so that the next open succeeds.
    func testFaultsWritingTheLockFileEndInOneLineAndReleaseTheLock() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("run")
        let system = { (code: Int32) in String(cString: strerror(code)) }
        let faults: [(fault: StoreFault, operation: String, reason: String)] = [
            (StoreFault(.pwrite, matching: "/lock", effects: [.error(ENOSPC)]), "pwrite", system(ENOSPC)),
            (StoreFault(.pwrite, matching: "/lock", effects: [.short(3)]), "pwrite", "wrote 3 of "),
            (StoreFault(.ftruncate, matching: "/lock", effects: [.error(EIO)]), "ftruncate", system(EIO)),
        ]
        for (fault, operation, reason) in faults {
            XCTAssertThrowsError(try SystemCallTable.with(fault.table) { try RunDirectory(path: path) }) { error in
                guard case .io(let failed, let call, let said)? = error as? PipelineStoreError else {
                    return XCTFail("not a store error: \(error)")
                }
                XCTAssertEqual(failed, "\(path)/lock")
                XCTAssertEqual(call, operation)
                XCTAssertTrue(said.hasPrefix(reason), "\(said) is not \(reason)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
            XCTAssertEqual(fault.injected, 1, "\(operation): the fault was met")
            let again = try RunDirectory(path: path)
            XCTAssertTrue(try String(contentsOfFile: "\(path)/lock", encoding: .utf8).hasPrefix("pid \(getpid()) on "))
            try again.close()
        }
    }

    func testLayoutNamesTheFilesOfTheRun() throws {
        let folder = try TemporaryDirectory()
        let directory = try RunDirectory(path: folder.path("a/b/run"))
        defer { try? directory.close() }
        XCTAssertEqual(directory.manifestPath, folder.path("a/b/run/manifest.json"))
        XCTAssertEqual(directory.canvasPath(level: 2), folder.path("a/b/run/level-2.canvas"))
        XCTAssertEqual(directory.canvasPath(level: 2, purpose: "weights"), folder.path("a/b/run/level-2.weights.canvas"))
        XCTAssertEqual(directory.tiles.directory, folder.path("a/b/run/tiles"))
        XCTAssertNil(try directory.readManifest())
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path("a/b/run/lock")))
    }
}
