import TestSupport
import XCTest

final class CommandLineContractTests: XCTestCase {
    func testUnknownSubcommandIsAUsageErrorOnOneLine() throws {
        let outcome = try AtelierProcess.run(["frobnicate"])
        XCTAssertEqual(outcome.status, 2)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.hasPrefix("atelier: "), outcome.stderr)
    }
}
