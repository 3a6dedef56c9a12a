import Foundation
import TestSupport
import Transfer
import XCTest

@testable import Pipeline

/// The job hash of a run: sorted `key=value` lines of the settings schema and the job's own keys.
final class JobHashTests: XCTestCase {
    func testTheHashedTextIsSortedKeyValueLines() throws {
        let text = JobHash.text(
            settings: ["tile.size=512", "content_weight=300", "mode=dss"],
            job: ["output": "o.png", "size": 96, "content": ["path": "c.png", "bytes": 10] as [String: Any]])
        XCTAssertEqual(
            text,
            """
            content={"bytes":10,"path":"c.png"}
            content_weight=300
            mode=dss
            output="o.png"
            size=96
            tile.size=512

            """)
        // The digest is coreutils' of the same bytes.
        let folder = try TemporaryDirectory()
        let path = folder.path("job.txt")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let expected = try ReferenceTool.run("/usr/bin/sha256sum", [path]).prefix(64)
        XCTAssertEqual(
            JobHash.of(
                settings: ["tile.size=512", "content_weight=300", "mode=dss"],
                job: ["output": "o.png", "size": 96, "content": ["path": "c.png", "bytes": 10] as [String: Any]]),
            String(expected))
    }

    /// Every key of the settings is in the hash, whatever module it belongs to; its spelling in a
    /// file is not.
    func testEverySettingChangesTheHashAndSpellingDoesNot() throws {
        func hash(_ settings: StylizeSettings) -> String {
            JobHash.of(settings: StylizeSettings.schema.canonicalLines(of: settings), job: ["output": "o.png"])
        }
        var written = StylizeSettings()
        try written.set("content_weight", to: 20.0)
        try written.set("tile", to: ["size": 256.0] as [String: Any])
        var respelled = StylizeSettings()
        try respelled.set("tile.size", to: 256)
        try respelled.set("content_weight", to: 20)
        XCTAssertEqual(hash(written), hash(respelled))
        var seen = Set([hash(StylizeSettings())])
        for setting in StylizeSettings.schema.settings {
            var settings = StylizeSettings()
            let value = setting.value(in: settings)
            let other: SettingValue
            switch value {
            case .number(let number): other = .number(number == 1 ? 0.5 : number + 1)
            case .integer(let integer): other = .integer(integer + 8)
            case .unsigned(let unsigned): other = .unsigned(unsigned + 1)
            case .word(let word): other = .word(setting.choices?.first { $0 != word } ?? word + "x")
            case .words(let words): other = .words(words + ["relu5_1"])
            case .integers(let integers): other = .integers(integers + [1])
            case .flag(let flag): other = .flag(!flag)
            }
            try setting.assign(other, in: &settings)
            XCTAssertTrue(seen.insert(hash(settings)).inserted, "\(setting.name) does not change the hash")
        }
        XCTAssertEqual(seen.count, StylizeSettings.keys.count + 1)
    }
}
