internal import CZMQ

/// One CurveZMQ key, public or secret: 32 bytes, written as 40 characters of Z85 (ZeroMQ's
/// base-85, RFC 32), the form kept in key files and shown to people.
public struct CurveKey: Hashable, Sendable, CustomStringConvertible {
    /// The key's 32 bytes, as libzmq's `ZMQ_CURVE_*KEY` options and ZAP requests carry it.
    public let bytes: [UInt8]
    /// The key in Z85: 40 characters.
    public let z85: String

    /// The characters of Z85, in the order of their values.
    static let alphabet = Array(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
    static let byteCount = 32
    static let textCount = 40

    /// A key from its Z85 text (`zmq_z85_decode`).
    /// - Throws: `MessagingError.misuse` naming what is wrong: the length, or the first
    ///   character outside Z85. Key files report the same reasons with their path.
    public init(z85 text: String) throws {
        if let problem = Self.problem(withZ85: text) {
            throw MessagingError.misuse(operation: "zmq_z85_decode", reason: problem)
        }
        var decoded = [UInt8](repeating: 0, count: Self.byteCount)
        _ = try LibZMQ.call("zmq_z85_decode", failed: { $0 == nil }) { zmq_z85_decode(&decoded, text) }
        self.bytes = decoded
        self.z85 = text
    }

    /// A key from its 32 bytes (`zmq_z85_encode`), as a ZAP request gives the client's key.
    /// - Throws: `MessagingError.misuse` if there are not 32 bytes.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) throws {
        let raw = Array(bytes)
        guard raw.count == Self.byteCount else {
            throw MessagingError.misuse(
                operation: "zmq_z85_encode", reason: "a CURVE key has \(Self.byteCount) bytes, not \(raw.count)")
        }
        var text = [CChar](repeating: 0, count: Self.textCount + 1)
        _ = try LibZMQ.call("zmq_z85_encode", failed: { $0 == nil }) { zmq_z85_encode(&text, raw, raw.count) }
        self.bytes = raw
        self.z85 = LibZMQ.string(text)
    }

    public var description: String { z85 }

    /// What keeps `text` from being a Z85 key, or `nil` if it is one.
    static func problem(withZ85 text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == textCount else {
            return "a CURVE key is \(textCount) characters of Z85, found \(scalars.count)"
        }
        if let bad = scalars.firstIndex(where: { !$0.isASCII || !alphabet.contains(UInt8($0.value)) }) {
            return "not a Z85 key: character \(bad + 1) (\(String(scalars[bad]).debugDescription)) is not in Z85"
        }
        let characters = Array(text.utf8)
        // Five characters encode four bytes: a group above 2^32 - 1 is not a key either.
        let values = characters.map { UInt64(alphabet.firstIndex(of: $0)!) }
        for group in stride(from: 0, to: textCount, by: 5) {
            if values[group..<group + 5].reduce(0, { $0 * 85 + $1 }) > UInt64(UInt32.max) {
                return "not a Z85 key: characters \(group + 1)-\(group + 5) encode more than four bytes"
            }
        }
        return nil
    }
}
