internal import CZMQ

/// A CurveZMQ key pair: the public key others use to reach or admit this process, and the
/// secret key that proves it. `description` shows only the public key, so a pair can be logged.
public struct CurveKeyPair: Hashable, Sendable, CustomStringConvertible {
    public let publicKey: CurveKey
    public let secretKey: CurveKey

    /// A fresh random pair (`zmq_curve_keypair`, from libsodium's or TweetNaCl's generator).
    /// - Throws: `MessagingError.call` if libzmq was built without CURVE (`ENOTSUP`).
    public static func generate() throws -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: CurveKey.textCount + 1)
        var secretText = [CChar](repeating: 0, count: CurveKey.textCount + 1)
        try LibZMQ.call("zmq_curve_keypair") { zmq_curve_keypair(&publicText, &secretText) }
        return CurveKeyPair(
            publicKey: try CurveKey(z85: LibZMQ.string(publicText)),
            secretKey: try CurveKey(z85: LibZMQ.string(secretText)))
    }

    /// The pair whose secret key is `secretKey`, its public key derived (`zmq_curve_public`).
    public init(secretKey: CurveKey) throws {
        var publicText = [CChar](repeating: 0, count: CurveKey.textCount + 1)
        try LibZMQ.call("zmq_curve_public") { zmq_curve_public(&publicText, secretKey.z85) }
        self.init(publicKey: try CurveKey(z85: LibZMQ.string(publicText)), secretKey: secretKey)
    }

    private init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    public var description: String { "CurveKeyPair(public: \(publicKey.z85))" }
}
