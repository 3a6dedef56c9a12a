import Foundation

/// One ZAP exchange (RFC 27, https://rfc.zeromq.org/spec/27/): libzmq asks, for each connecting
/// client, whether to admit it; the handler answers with a status code. Kept apart from the
/// handler's thread so the decision can be read (and tested) on its own.
///
/// Request frames: version "1.0", request id, domain, address, routing id, mechanism, then the
/// mechanism's credentials (for CURVE, one frame: the client's 32-byte public key).
/// Reply frames: version, the request id, status code, status text, user id, metadata.
struct ZAPRequest {
    static let version = "1.0"

    enum Status: String {
        /// Admitted.
        case success = "200"
        /// Refused: the credentials are not acceptable.
        case authenticationFailure = "400"
        /// The request could not be understood.
        case internalError = "500"
    }

    /// The answer to a request, and a line for the log when a client is refused.
    struct Answer {
        var reply: [Data]
        var refusal: String?
    }

    /// Admits a CURVE client whose public key is in `trusted`; refuses anything else. The user
    /// id of an admitted client is its key's name (messages from it carry it as "User-Id").
    static func answer(_ frames: [Data], trusted: [CurveKey: String]) -> Answer {
        let requestID = frames.count > 1 ? frames[1] : Data()
        func reply(_ status: Status, _ text: String, user: String = "") -> [Data] {
            [Data(version.utf8), requestID, Data(status.rawValue.utf8), Data(text.utf8), Data(user.utf8), Data()]
        }
        guard frames.count >= 6, String(decoding: frames[0], as: UTF8.self) == version else {
            return Answer(
                reply: reply(.internalError, "malformed ZAP request"),
                refusal: "refused a client: malformed ZAP request (\(frames.count) frames)")
        }
        let address = String(decoding: frames[3], as: UTF8.self)
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        guard mechanism == "CURVE", frames.count == 7, let key = try? CurveKey(bytes: frames[6]) else {
            return Answer(
                reply: reply(.authenticationFailure, "only CURVE clients are admitted"),
                refusal: "refused a \(mechanism) client from \(address): only CURVE clients are admitted")
        }
        guard let name = trusted[key] else {
            return Answer(
                reply: reply(.authenticationFailure, "public key not trusted"),
                refusal: "refused CURVE client \(key.z85) from \(address): its public key is not trusted")
        }
        return Answer(reply: reply(.success, "OK", user: name), refusal: nil)
    }
}
