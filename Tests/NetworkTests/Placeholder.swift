import XCTest
final class NetworkTestsPlaceholder: XCTestCase { func testPlaceholder() { XCTAssertTrue(true) } }
