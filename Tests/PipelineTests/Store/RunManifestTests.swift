import Foundation
import TestSupport
import XCTest

@testable import Pipeline

final class RunManifestTests: XCTestCase {
    private let hashA = JobHash.of(["content": "a.tif", "style": "s.png", "iterations": [20, 10]] as [String: Any])
    private let hashB = JobHash.of(["content": "b.tif", "style": "s.png", "iterations": [20, 10]] as [String: Any])

    func testJobHashIgnoresSpellingButNotValues() {
        let job: [String: Any] = [
            "content": "in.tif", "style": "s.png", "seed": 3, "tile": ["size": 128, "rounds": 2] as [String: Any],
            "iterations": [20, 10, 6], "style_scale": 1.5,
        ]
        let respelled: [String: Any] = [
            "tile": ["rounds": 2, "size": 128.0] as [String: Any], "iterations": [20, 10, 6], "seed": 3.0,
            "style_scale": 1.5, "style": "s.png", "content": "in.tif",
        ]
        XCTAssertEqual(JobHash.of(job), JobHash.of(respelled))
        XCTAssertEqual(
            JobHash.canonicalText(of: job),
            #"{"content":"in.tif","iterations":[20,10,6],"seed":3,"style":"s.png","style_scale":1.5,"tile":{"rounds":2,"size":128}}"#)
        var changed = job
        changed["iterations"] = [20, 10, 7]
        XCTAssertNotEqual(JobHash.of(job), JobHash.of(changed))
        changed = job
        changed["tile"] = ["size": 128, "rounds": 3] as [String: Any]
        XCTAssertNotEqual(JobHash.of(job), JobHash.of(changed))
        XCTAssertEqual(JobHash.canonicalText(of: ["a\"b\n": nil] as [String: Any?]), #"{"a\"b\u000a":null}"#)
        XCTAssertEqual(JobHash.of(job).count, 64)
    }

    func testProgressRoundTripsThroughJSONAndAdvancesRoundByRound() throws {
        var manifest = RunManifest(jobHash: hashA)
        manifest.levels.append(
            .init(level: 0, width: 128, height: 96, rounds: 1, canvas: "level-0.canvas", precision: .float32))
        manifest.levels.append(
            .init(level: 1, width: 256, height: 192, rounds: 2, canvas: "level-1.canvas", precision: .float16))
        XCTAssertEqual(manifest.nextRound?.level, 0)
        manifest.completeRound(level: 0)
        XCTAssertEqual(manifest.nextRound?.level, 1)
        XCTAssertEqual(manifest.nextRound?.round, 0)
        manifest.recordTile(TileResultKey(job: hashA, level: 1, round: 0, tile: 5))
        manifest.recordTile(TileResultKey(job: hashA, level: 1, round: 0, tile: 2))
        manifest.recordTile(TileResultKey(job: hashA, level: 1, round: 0, tile: 5))
        XCTAssertEqual(manifest.completedTiles.map(\.tile), [2, 5])

        let decoded = try RunManifest(decoding: manifest.encoded(), path: "m")
        XCTAssertEqual(decoded, manifest)

        manifest.completeRound(level: 1)
        XCTAssertEqual(manifest.completedTiles, [], "a completed round's tiles live in the canvas now")
        XCTAssertEqual(manifest.nextRound?.round, 1)
        manifest.completeRound(level: 1)
        XCTAssertNil(manifest.nextRound)
    }

    /// Resuming is refused for another job's run directory; a fresh start is refused where a run
    /// already is; `--resume` on an empty directory starts fresh (a scheduler's first attempt).
    func testStartingAndResumingRefuseTheWrongJobAndOverwrites() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("run")
        do {
            let directory = try RunDirectory(path: path)
            defer { try? directory.close() }
            var manifest = try directory.start(jobHash: hashA, resume: true)
            XCTAssertEqual(manifest, RunManifest(jobHash: hashA))
            manifest.levels.append(
                .init(level: 0, width: 64, height: 64, rounds: 2, canvas: "level-0.canvas", precision: .float32))
            manifest.completeRound(level: 0)
            try directory.writeManifest(manifest)
        }
        let directory = try RunDirectory(path: path)
        defer { try? directory.close() }
        let manifestPath = directory.manifestPath
        assertStoreError(try directory.start(jobHash: hashB, resume: true), path: manifestPath, contains: "another job")
        assertStoreError(try directory.start(jobHash: hashA, resume: false), path: path, contains: "pass --resume")
        var unreadable = RunManifest(jobHash: hashA)
        unreadable.levels.append(.init(level: 0, width: 0, height: 8, rounds: 1, canvas: "c", precision: .float32))
        assertStoreError(try directory.writeManifest(unreadable), path: manifestPath, contains: "impossible progress")
        let resumed = try directory.start(jobHash: hashA, resume: true)
        XCTAssertEqual(resumed.levels.first?.roundsCompleted, 1)
        XCTAssertEqual(try directory.readManifest(), resumed)
    }

    func testDamagedManifestsAreClearErrors() throws {
        let folder = try TemporaryDirectory()
        let valid = try JSONSerialization.jsonObject(with: Data(RunManifest(jobHash: hashA).encoded())) as! [String: Any]
        func edited(_ change: (inout [String: Any]) -> Void) throws -> String {
            var fields = valid
            change(&fields)
            return String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
        }
        let cases: [(String, String)] = [
            ("", "no formatVersion"),
            ("{\"formatVersion\": 1, \"jobHash\":", "no formatVersion"),
            (try edited { $0["formatVersion"] = 7 }, "version 7"),
            (try edited { $0["formatVersion"] = 1 }, "version 1, made by an earlier atelier whose job hash"),
            (try edited { $0["jobHash"] = "xyz" }, "not 64 lowercase hexadecimal"),
            (try edited { $0["levels"] = nil }, "missing levels"),
            (try edited { $0["levels"] = 3 }, "bad value at levels"),
            (try edited { $0["completedTiles"] = [["job": "j", "level": 0, "round": 0]] }, "missing completedTiles.0.tile"),
        ]
        for (index, (text, fragment)) in cases.enumerated() {
            let path = folder.path("manifest-\(index).json")
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            assertStoreError(try RunManifest(decoding: Array(try Data(contentsOf: URL(fileURLWithPath: path))), path: path),
                path: path, contains: fragment)
        }
        var manifest = RunManifest(jobHash: hashA)
        manifest.levels.append(.init(level: 0, width: 8, height: 8, rounds: 1, roundsCompleted: 2, canvas: "x", precision: .float16))
        assertStoreError(try RunManifest(decoding: manifest.encoded(), path: "m"), path: "m", contains: "impossible progress")
        manifest.levels[0].roundsCompleted = 1
        manifest.levels[0].canvas = "../elsewhere.canvas"
        assertStoreError(try RunManifest(decoding: manifest.encoded(), path: "m"), path: "m", contains: "not a file name")
    }
}
