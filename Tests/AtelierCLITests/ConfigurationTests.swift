import Foundation
import Pipeline
import TestSupport
import Transfer
import XCTest

@testable import AtelierCLI

final class ConfigurationTests: XCTestCase {
    /// Configs/default.yaml documents the built-in defaults; the two must never drift apart.
    func testDefaultConfigurationFileEqualsTheBuiltInDefaults() throws {
        let path = Fixtures.projectRoot.appendingPathComponent("Configs/default.yaml").path
        var fromFile = StylizeSettings()
        // Start from values unlike every default, so that a key missing from the file shows.
        fromFile.transfer.mode = .gatys
        fromFile.transfer.contentWeight = 123
        fromFile.transfer.styleWeight = 123
        fromFile.transfer.tvWeight = 123
        fromFile.transfer.semanticWeight = 123
        fromFile.transfer.illuminationWeight = 123
        fromFile.transfer.styleLayers = []
        fromFile.transfer.contentLayer = ""
        fromFile.transfer.coarseSize = 1
        fromFile.transfer.iterations = []
        fromFile.transfer.pooling = .max
        fromFile.transfer.styleScale = 123
        fromFile.transfer.segments = 123
        fromFile.transfer.seed = 123
        fromFile.tile.size = 1
        fromFile.tile.overlap = 1
        fromFile.tile.halo = 1
        fromFile.tile.rounds = 123
        try Configuration.apply(file: path, to: &fromFile)
        XCTAssertEqual(fromFile, StylizeSettings())
        // Keys in file order; an indented key belongs to the section line above it (`tile:` → `tile.size`).
        var section = ""
        var keys: [String] = []
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.hasPrefix("#"), let colon = text.firstIndex(of: ":") else { continue }
            let key = String(text[..<colon])
            if !line.hasPrefix(" ") && text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces).isEmpty {
                section = key + "."
            } else {
                keys.append(line.hasPrefix(" ") ? section + key : key)
            }
        }
        XCTAssertEqual(keys, StylizeSettings.keys, "Configs/default.yaml lists every key, in order")
    }

    func testOverridesParseYAMLValuesAndNameBadKeys() throws {
        var settings = StylizeSettings()
        try Configuration.apply(override: "iterations=[100, 50,20]", to: &settings)
        try Configuration.apply(override: "style_weight=2.5", to: &settings)
        try Configuration.apply(override: "mode=mrf", to: &settings)
        XCTAssertEqual(settings.transfer.iterations, [100, 50, 20])
        XCTAssertEqual(settings.transfer.styleWeight, 2.5)
        XCTAssertEqual(settings.transfer.mode, .mrf)
        XCTAssertThrowsError(try Configuration.apply(override: "colour=blue", to: &settings)) { error in
            XCTAssertTrue("\(error)".hasPrefix("colour: unknown configuration key"), "\(error)")
        }
        XCTAssertThrowsError(try Configuration.apply(override: "mode=fast", to: &settings)) { error in
            XCTAssertTrue("\(error)".contains("mode: unknown value 'fast'"), "\(error)")
        }
        XCTAssertThrowsError(try Configuration.apply(override: "iterations", to: &settings))
    }

    func testTheFinishAndColourKeysTakeTheirValuesAndNameBadOnes() throws {
        var settings = StylizeSettings()
        XCTAssertEqual(settings.colourFinish, 1)
        try Configuration.apply(override: "colour_finish=0.5", to: &settings)
        XCTAssertEqual(settings.colourFinish, 0.5)
        try Configuration.apply(override: "colour_finish=false", to: &settings)
        XCTAssertEqual(settings.colourFinish, 0)
        try Configuration.apply(override: "colour_finish=true", to: &settings)
        XCTAssertEqual(settings.colourFinish, 1)
        try Configuration.apply(override: "preserve_colors=true", to: &settings)
        XCTAssertTrue(settings.preserveColors)
        try Configuration.apply(override: "shallow_weight=30", to: &settings)
        XCTAssertEqual(settings.transfer.shallowWeight, 30)
        for bad in ["colour_finish=1.5", "colour_finish=-0.1", "colour_finish=blue", "preserve_colors=1"] {
            XCTAssertThrowsError(try Configuration.apply(override: bad, to: &settings), bad) { error in
                let key = String(bad.prefix { $0 != "=" })
                XCTAssertTrue("\(error)".hasPrefix(key + ":"), "\(error)")
            }
        }
    }

    func testTileKeysNestInFilesAndTakeDotsInOverrides() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("job.yaml")
        try "iterations: [10]\ntile: {size: 128, overlap: 16, rounds: 3}\n".write(toFile: path, atomically: true, encoding: .utf8)
        var settings = StylizeSettings()
        try Configuration.apply(file: path, to: &settings)
        XCTAssertEqual(settings.tile.size, 128)
        XCTAssertEqual(settings.tile.overlap, 16)
        XCTAssertEqual(settings.tile.rounds, 3)
        XCTAssertEqual(settings.tile.halo, TileSettings().halo, "keys the file does not name keep their defaults")
        XCTAssertEqual(settings.transfer.iterations, [10])
        try Configuration.apply(override: "tile.halo=64", to: &settings)
        XCTAssertEqual(settings.tile.halo, 64)

        XCTAssertThrowsError(try Configuration.apply(override: "tile.colour=3", to: &settings)) { error in
            XCTAssertTrue("\(error)".hasPrefix("tile.colour: unknown configuration key"), "\(error)")
        }
        XCTAssertThrowsError(try Configuration.apply(override: "tile.size=big", to: &settings)) { error in
            XCTAssertEqual("\(error)", "tile.size: expected an integer, got 'big'")
        }
        try "tile: 5\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Configuration.apply(file: path, to: &settings)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): tile: expected a mapping"), "\(error)")
        }
    }

    func testTheSearchKeyChoosesTheExactOrTheApproximateSearch() throws {
        var settings = StylizeSettings()
        XCTAssertEqual(settings.transfer.search, .approximate, "the default")
        try Configuration.apply(override: "search=exact", to: &settings)
        XCTAssertEqual(settings.transfer.search, .exact)
        try Configuration.apply(override: "search=approximate", to: &settings)
        XCTAssertEqual(settings.transfer.search, .approximate)
        XCTAssertThrowsError(try Configuration.apply(override: "search=fast", to: &settings)) { error in
            XCTAssertEqual("\(error)", "search: unknown value 'fast' (expected one of exact, approximate)")
        }
    }
}
