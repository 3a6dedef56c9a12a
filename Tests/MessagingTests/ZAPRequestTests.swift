import Foundation
import XCTest

@testable import Messaging

/// The ZAP decision on its own (RFC 27 frames in, frames out).
final class ZAPRequestTests: XCTestCase {
    private let trusted = try! CurveKeyPair.generate().publicKey
    private let stranger = try! CurveKeyPair.generate().publicKey

    private func request(mechanism: String = "CURVE", credentials: [Data]) -> [Data] {
        ["1.0", "id-7", "", "10.0.0.5", "", mechanism].map { Data($0.utf8) } + credentials
    }

    private func status(_ answer: ZAPRequest.Answer) -> [String] {
        answer.reply.map { String(decoding: $0, as: UTF8.self) }
    }

    func testATrustedKeyIsAdmittedWithItsName() {
        let answer = ZAPRequest.answer(request(credentials: [Data(trusted.bytes)]), trusted: [trusted: "worker-3"])
        XCTAssertEqual(status(answer), ["1.0", "id-7", "200", "OK", "worker-3", ""])
        XCTAssertNil(answer.refusal)
    }

    func testAnUnknownKeyIsRefused() {
        let answer = ZAPRequest.answer(request(credentials: [Data(stranger.bytes)]), trusted: [trusted: "worker-3"])
        XCTAssertEqual(status(answer), ["1.0", "id-7", "400", "public key not trusted", "", ""])
        XCTAssertEqual(
            answer.refusal, "refused CURVE client \(stranger.z85) from 10.0.0.5: its public key is not trusted")
    }

    func testOtherMechanismsAndMalformedRequestsAreRefused() {
        let plain = ZAPRequest.answer(request(mechanism: "NULL", credentials: []), trusted: [trusted: "w"])
        XCTAssertEqual(status(plain)[2], "400")
        XCTAssertEqual(plain.refusal, "refused a NULL client from 10.0.0.5: only CURVE clients are admitted")
        let shortKey = ZAPRequest.answer(request(credentials: [Data(trusted.bytes.prefix(31))]), trusted: [trusted: "w"])
        XCTAssertEqual(status(shortKey)[2], "400")
        let wrongVersion = ZAPRequest.answer(
            [Data("2.0".utf8)] + request(credentials: [Data(trusted.bytes)]).dropFirst(), trusted: [trusted: "w"])
        XCTAssertEqual(status(wrongVersion), ["1.0", "id-7", "500", "malformed ZAP request", "", ""])
        let truncated = ZAPRequest.answer([Data("1.0".utf8)], trusted: [trusted: "w"])
        XCTAssertEqual(status(truncated), ["1.0", "", "500", "malformed ZAP request", "", ""])
    }
}
