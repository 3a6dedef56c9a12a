import Tensor
import XCTest

@testable import Transfer

/// The settings schema: each key declared once, and everything derived from it.
final class SettingsSchemaTests: XCTestCase {
    /// A value of `setting`'s kind unlike `value`: a choice's next word, a number plus 1.5, a
    /// list one longer, a flag flipped.
    static func other<Root>(than value: SettingValue, for setting: Setting<Root>) -> SettingValue {
        switch value {
        case .number(let number): return .number(number + 1.5)
        case .integer(let integer): return .integer(integer + 8)
        case .unsigned(let unsigned): return .unsigned(unsigned + 5)
        case .word(let word):
            return .word(setting.choices.map { choices in choices.first { $0 != word }! } ?? word + "x")
        case .words(let words): return .words(words + ["relu5_1"])
        case .integers(let integers): return .integers(integers + [1])
        case .flag(let flag): return .flag(!flag)
        }
    }

    /// Setting every key of the schema to another value changes every stored property of
    /// `TransferSettings` (seen through `Mirror`): no field is left without a declaration.
    func testEveryFieldIsAKeyOfTheSchema() throws {
        var settings = TransferSettings()
        for setting in TransferSettings.schema.settings {
            try setting.assign(Self.other(than: setting.value(in: settings), for: setting), in: &settings)
        }
        let defaults = Mirror(reflecting: TransferSettings()).children.map { "\($0.label!)=\($0.value)" }
        let changed = Mirror(reflecting: settings).children.map { "\($0.label!)=\($0.value)" }
        XCTAssertEqual(defaults.count, TransferSettings.schema.settings.count, "one key per field")
        for (field, original) in zip(changed, defaults) {
            XCTAssertNotEqual(field, original, "declare \(field) in TransferSettings.schema")
        }
    }

    /// Every key of a transfer crosses the wire, at positions 0, 1, 2, … with none repeated.
    func testEveryTransferKeyHasAPlaceOnTheWire() {
        let positions = TransferSettings.schema.settings.map(\.wirePosition)
        XCTAssertFalse(positions.contains(nil))
        XCTAssertEqual(positions.compactMap { $0 }.sorted(), Array(0..<positions.count))
        XCTAssertEqual(
            TransferSettings.schema.wireOrder.prefix(3).map(\.name), ["mode", "content_weight", "style_weight"])
    }

    func testValuesOfTheWrongKindAreNamedWithWhatWasExpected() {
        var settings = TransferSettings()
        let cases: [(String, Any, String)] = [
            ("content_weight", "heavy", "content_weight: expected a number, got 'heavy'"),
            ("coarse_size", 1.5, "coarse_size: expected an integer, got '1.5'"),
            ("content_layer", 3, "content_layer: expected a word, got '3'"),
            ("style_layers", [1, 2] as [Any], "style_layers: expected a list, got '[1, 2]'"),
            ("iterations", ["a"] as [Any], "iterations: expected a list, got '[\"a\"]'"),
            ("mode", "fast", "mode: unknown value 'fast' (expected one of dss, mrf, gatys)"),
            ("seed", -1, "seed: must be ≥ 0, not -1"),
            ("colour", 1,
             "colour: unknown configuration key (known: \(TransferSettings.keys.joined(separator: ", ")))"),
        ]
        for (key, value, message) in cases {
            XCTAssertThrowsError(try settings.set(key, to: value), key) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
        XCTAssertEqual(settings, TransferSettings(), "a refused value changes nothing")
    }

    func testRangesAreCheckedByValidateWithTheKeyAndTheValue() {
        let layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2"]
        let cases: [(WritableKeyPath<TransferSettings, Float>?, Float, String)] = [
            (\.tvWeight, -1, "tv_weight: must be a finite number ≥ 0, not -1.0"),
            (\.shallowWeight, .infinity, "shallow_weight: must be a finite number ≥ 0, not inf"),
            (\.styleScale, 0.05, "style_scale: must be between 0.05 and 8, not 0.05"),
            (\.styleScale, 9, "style_scale: must be between 0.05 and 8, not 9.0"),
        ]
        for (path, value, message) in cases {
            var settings = TransferSettings()
            settings[keyPath: path!] = value
            XCTAssertThrowsError(try settings.validate(layerNames: layers)) { XCTAssertEqual("\($0)", message) }
        }
        var settings = TransferSettings()
        settings.segments = 65
        XCTAssertThrowsError(try settings.validate(layerNames: layers)) {
            XCTAssertEqual("\($0)", "segments: must be between 1 and 64, not 65")
        }
        settings = TransferSettings()
        settings.iterations = [10, 100_001]
        XCTAssertThrowsError(try settings.validate(layerNames: layers)) {
            XCTAssertEqual("\($0)", "iterations: counts must be between 0 and 100000")
        }
        settings.iterations = []
        XCTAssertThrowsError(try settings.validate(layerNames: layers)) {
            XCTAssertEqual("\($0)", "iterations: must list at least one count")
        }
        settings = TransferSettings()
        settings.contentLayer = "relu9_9"
        XCTAssertThrowsError(try settings.validate(layerNames: layers)) {
            XCTAssertTrue("\($0)".hasPrefix("content_layer: unknown layer 'relu9_9' (known: relu1_1"), "\($0)")
        }
        XCTAssertNoThrow(try TransferSettings().validate(layerNames: layers))
    }

    /// The canonical lines: sorted by key, one per key, values in the YAML spelling that reads back.
    func testCanonicalLinesAreSortedAndSpelledOneWay() throws {
        var settings = TransferSettings()
        try settings.set("content_weight", to: 20.0)
        try settings.set("style_scale", to: 0.5)
        try settings.set("iterations", to: 7)
        let lines = TransferSettings.schema.canonicalLines(of: settings)
        XCTAssertEqual(lines, lines.sorted())
        XCTAssertEqual(lines.count, TransferSettings.keys.count)
        for line in ["content_weight=20", "style_scale=0.5", "iterations=[7]", "mode=dss", "seed=0",
                     "style_layers=[relu3_1, relu4_1]", "pooling=average", "chroma_tv_weight=30000"] {
            XCTAssertTrue(lines.contains(line), line)
        }
        var respelled = TransferSettings()
        try respelled.set("content_weight", to: 20)
        try respelled.set("style_scale", to: 0.5)
        try respelled.set("iterations", to: [7.0] as [Any])
        XCTAssertEqual(TransferSettings.schema.canonicalLines(of: respelled), lines)
    }
}
