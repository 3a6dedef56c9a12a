import XCTest
final class AtelierCLITestsPlaceholder: XCTestCase { func testPlaceholder() { XCTAssertTrue(true) } }
