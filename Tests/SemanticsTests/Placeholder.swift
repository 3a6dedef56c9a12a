import XCTest
final class SemanticsPlaceholderTests: XCTestCase { func testPlaceholder() { XCTAssertTrue(true) } }
