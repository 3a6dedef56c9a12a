import Foundation
import TestSupport
import Transfer
import XCTest

@testable import AtelierCLI

final class ConfigurationTests: XCTestCase {
    /// Configs/default.yaml documents the built-in defaults; the two must never drift apart.
    func testDefaultConfigurationFileEqualsTheBuiltInDefaults() throws {
        let path = Fixtures.projectRoot.appendingPathComponent("Configs/default.yaml").path
        var fromFile = TransferSettings()
        // Start from values unlike every default, so that a key missing from the file shows.
        fromFile.mode = .gatys
        fromFile.contentWeight = 123
        fromFile.styleWeight = 123
        fromFile.tvWeight = 123
        fromFile.semanticWeight = 123
        fromFile.illuminationWeight = 123
        fromFile.styleLayers = []
        fromFile.contentLayer = ""
        fromFile.coarseSize = 1
        fromFile.iterations = []
        fromFile.pooling = .max
        fromFile.styleScale = 123
        fromFile.segments = 123
        fromFile.seed = 123
        try Configuration.apply(file: path, to: &fromFile)
        XCTAssertEqual(fromFile, TransferSettings())
        let keys = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && $0.contains(":") }.map { String($0.prefix { $0 != ":" }) }
        XCTAssertEqual(keys, TransferSettings.keys, "Configs/default.yaml lists every key, in order")
    }

    func testOverridesParseYAMLValuesAndNameBadKeys() throws {
        var settings = TransferSettings()
        try Configuration.apply(override: "iterations=[100, 50,20]", to: &settings)
        try Configuration.apply(override: "style_weight=2.5", to: &settings)
        try Configuration.apply(override: "mode=mrf", to: &settings)
        XCTAssertEqual(settings.iterations, [100, 50, 20])
        XCTAssertEqual(settings.styleWeight, 2.5)
        XCTAssertEqual(settings.mode, .mrf)
        XCTAssertThrowsError(try Configuration.apply(override: "colour=blue", to: &settings)) { error in
            XCTAssertTrue("\(error)".hasPrefix("colour: unknown configuration key"), "\(error)")
        }
        XCTAssertThrowsError(try Configuration.apply(override: "mode=fast", to: &settings)) { error in
            XCTAssertTrue("\(error)".contains("mode: unknown value 'fast'"), "\(error)")
        }
        XCTAssertThrowsError(try Configuration.apply(override: "iterations", to: &settings))
    }

    func testTheSearchKeyChoosesTheExactOrTheApproximateSearch() throws {
        var settings = TransferSettings()
        XCTAssertEqual(settings.search, .approximate, "the default")
        try Configuration.apply(override: "search=exact", to: &settings)
        XCTAssertEqual(settings.search, .exact)
        try Configuration.apply(override: "search=approximate", to: &settings)
        XCTAssertEqual(settings.search, .approximate)
        XCTAssertThrowsError(try Configuration.apply(override: "search=fast", to: &settings)) { error in
            XCTAssertEqual("\(error)", "search: unknown value 'fast' (expected one of exact, approximate)")
        }
    }
}
