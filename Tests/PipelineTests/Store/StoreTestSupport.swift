import Foundation
import XCTest

@testable import Pipeline

/// Asserts that `body` throws a `PipelineStoreError` whose one-line description names `path` and
/// contains `fragment`.
func assertStoreError<T>(
    _ body: @autoclosure () throws -> T, path: String, contains fragment: String,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        guard let error = error as? PipelineStoreError else {
            return XCTFail("not a PipelineStoreError: \(error)", file: file, line: line)
        }
        let text = error.description
        XCTAssertTrue(text.hasPrefix(path), "\(text) does not start with \(path)", file: file, line: line)
        XCTAssertTrue(text.contains(fragment), "\(text) does not say '\(fragment)'", file: file, line: line)
        XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
    }
}

/// Overwrites `bytes` at `offset` in the file at `path`, or cuts it to `length` bytes.
func damage(_ path: String, at offset: Int? = nil, with bytes: [UInt8] = [], truncateTo length: Int? = nil) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    if let offset {
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(bytes))
    }
    if let length { try handle.truncate(atOffset: UInt64(length)) }
}

/// Appends `bytes` to the file at `path`.
func append(_ bytes: [UInt8], to path: String) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(bytes))
}
