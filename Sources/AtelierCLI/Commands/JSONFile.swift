import Foundation

/// The JSON files a run leaves behind (summaries, the batch state): snake_case keys, sorted and
/// indented so that they read well and diff well, each written atomically (a reader or a killed
/// process never sees half a file).
enum JSONFile {
    static func write<Value: Encodable>(_ value: Value, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(value).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func read<Value: Decodable>(_ type: Value.Type, from path: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
