import ImageIO
import XCTest

/// The ICC description check on hand-built profiles (v2 text, v4 multi-localised Unicode) and on
/// damaged ones, which must read as "not sRGB" without trapping.
final class ColourProfileTests: XCTestCase {
    private func u32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    /// A profile of `space` whose only tag is `desc` with `body` (a whole tag: type, reserved, data).
    private func profile(space: String, descTag body: [UInt8]) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 128)
        header.replaceSubrange(16..<20, with: Array(space.utf8))
        header.replaceSubrange(36..<40, with: Array("acsp".utf8))
        return header + u32(1) + Array("desc".utf8) + u32(144) + u32(body.count) + body
    }

    private func textDescription(_ text: String) -> [UInt8] {
        Array("desc".utf8) + [0, 0, 0, 0] + u32(text.utf8.count + 1) + Array(text.utf8) + [0]
    }

    private func unicodeDescription(_ text: String) -> [UInt8] {
        let utf16 = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        return Array("mluc".utf8) + [0, 0, 0, 0] + u32(1) + u32(12) + Array("enUS".utf8) + u32(utf16.count) + u32(28)
            + utf16
    }

    func testDescriptionsAreReadAndJudged() {
        let adobe = ColourProfile(icc: profile(space: "RGB ", descTag: textDescription("Adobe RGB (1998)")))
        XCTAssertEqual(adobe.description, "Adobe RGB (1998)")
        XCTAssertEqual(adobe.colourSpace, "RGB ")
        XCTAssertFalse(adobe.looksLikeSRGB)
        let srgb = ColourProfile(icc: profile(space: "RGB ", descTag: unicodeDescription("sRGB IEC61966-2.1")))
        XCTAssertEqual(srgb.description, "sRGB IEC61966-2.1")
        XCTAssertTrue(srgb.looksLikeSRGB)
        let p3 = ColourProfile(icc: profile(space: "RGB ", descTag: unicodeDescription("Display P3")))
        XCTAssertFalse(p3.looksLikeSRGB)
        XCTAssertTrue(
            ColourProfile(icc: profile(space: "GRAY", descTag: textDescription("Gray Gamma 2.2"))).looksLikeSRGB)
    }

    func testDamagedProfilesAreNotSRGBAndDoNotTrap() {
        let whole = profile(space: "RGB ", descTag: textDescription("sRGB built-in"))
        XCTAssertTrue(ColourProfile(icc: whole).looksLikeSRGB)
        for length in 0..<whole.count - 1 {
            _ = ColourProfile(icc: Array(whole.prefix(length)))
        }
        XCTAssertFalse(ColourProfile(icc: Array(whole.prefix(150))).looksLikeSRGB)
        var lying = whole
        lying.replaceSubrange(128..<132, with: u32(Int(Int32.max)))  // tag count
        lying.replaceSubrange(136..<140, with: u32(Int(UInt32.max)))  // tag offset
        XCTAssertNil(ColourProfile(icc: lying).description)
    }
}
