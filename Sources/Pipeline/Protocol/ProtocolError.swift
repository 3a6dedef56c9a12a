/// Why a byte string is not a message of this protocol. Decoding is total: any bytes at all give
/// a message or one of these, never a trap, so a foreign or corrupted message is logged and dropped.
public enum ProtocolError: Error, Equatable, CustomStringConvertible {
    /// The frame does not start with the protocol's magic bytes: not an Atelier message.
    case badMagic
    /// An Atelier message of another protocol version (a worker or coordinator of another build).
    case versionMismatch(received: UInt16, expected: UInt16)
    /// The checksum over header and payload does not match: the message was corrupted.
    case checksum(expected: UInt32, actual: UInt32)
    /// The bytes end before the frame (or a field inside it) does.
    case truncated(needed: Int, available: Int)
    /// A message type this version does not know.
    case unknownType(UInt8)
    /// A payload longer than the receiver accepts.
    case oversize(length: Int, limit: Int)
    /// A frame whose checksum holds but whose payload does not parse (a sender's bug).
    case malformed(String)

    public var description: String {
        switch self {
        case .badMagic: return "not an Atelier message (bad magic bytes)"
        case .versionMismatch(let received, let expected):
            return "protocol version \(received) received, this program speaks version \(expected)"
        case .checksum(let expected, let actual):
            return "checksum mismatch (frame says \(hex(expected)), bytes give \(hex(actual)))"
        case .truncated(let needed, let available):
            return "truncated message (\(needed) bytes needed, \(available) available)"
        case .unknownType(let type): return "unknown message type \(type)"
        case .oversize(let length, let limit): return "message of \(length) bytes exceeds the limit of \(limit) bytes"
        case .malformed(let reason): return "malformed message: \(reason)"
        }
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16, uppercase: true) }
}
