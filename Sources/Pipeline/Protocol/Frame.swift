/// The frame every message travels in (DESIGN.md §3), all little-endian:
///
///     0  magic "ATLR"   4  version UInt16   6  type UInt8   7  reserved 0
///     8  payload length UInt32   12  CRC-32 of bytes 4..<12 and of the payload   16  payload
///
/// The checksum covers the header fields after the magic as well as the payload, so a corrupted
/// type or length is caught as surely as a corrupted pixel. Decoding checks, in order: magic,
/// version (so that a peer of another build gets a clear refusal, not a checksum error), type,
/// size limit, length, checksum, then the payload's own structure.
public enum Frame {
    public static let magic: [UInt8] = Array("ATLR".utf8)
    /// The protocol version this build speaks; peers must speak the same. 4: a STYLE carries its
    /// share and the other paintings of a blend, a TASK the content's DSS groups for each.
    public static let version: UInt16 = 4
    public static let headerSize = 16
    /// The default payload limit: a 512² tile's task with halo and DSS channels is ~6 MB on the
    /// wire and ~25 MB decoded (`WireReader.decodedBudget` holds the decoded size to this limit too).
    public static let defaultLimit = 256 << 20

    /// The largest frame a socket of this protocol takes from a peer (`ZMQ_MAXMSGSIZE`): a frame
    /// of a payload within `payloadLimit`. libzmq reads a frame's length before its bytes and
    /// drops the connection of a peer that announces more, so an oversize frame never reaches
    /// memory; decoding alone would refuse it only after it was received whole.
    public static func socketLimit(payloadLimit: Int = defaultLimit) -> Int64 { Int64(headerSize + payloadLimit) }

    /// The frame around `payload`.
    static func wrap(_ payload: [UInt8], kind: Message.Kind, version: UInt16 = Frame.version) -> [UInt8] {
        var header = ByteWriter()
        header.append(version)
        header.append(kind.rawValue)
        header.append(UInt8(0))
        header.append(count: payload.count)
        let crc = CRC32.checksum(payload, continuing: CRC32.checksum(header.bytes))
        header.append(crc)
        return magic + header.bytes + payload
    }

    /// The message kind and the payload's bounds in `bytes`, after every check of the frame itself.
    static func unwrap(_ bytes: [UInt8], limit: Int) throws(ProtocolError) -> (kind: Message.Kind, payload: Range<Int>) {
        let prefix = min(bytes.count, magic.count)
        guard bytes[..<prefix].elementsEqual(magic[..<prefix]) else { throw .badMagic }
        guard bytes.count >= headerSize else { throw .truncated(needed: headerSize, available: bytes.count) }
        var header = WireReader(bytes, from: magic.count)
        let version = try header.read(UInt16.self)
        guard version == Frame.version else { throw .versionMismatch(received: version, expected: Frame.version) }
        let type = try header.read(UInt8.self)
        guard let kind = Message.Kind(rawValue: type) else { throw .unknownType(type) }
        let reserved = try header.read(UInt8.self)
        let length = Int(try header.read(UInt32.self))
        let expected = try header.read(UInt32.self)
        guard length <= limit else { throw .oversize(length: length, limit: limit) }
        guard bytes.count >= headerSize + length else {
            throw .truncated(needed: headerSize + length, available: bytes.count)
        }
        guard bytes.count == headerSize + length else {
            throw .malformed("\(bytes.count - headerSize - length) bytes after the payload")
        }
        let actual = CRC32.checksum(bytes[headerSize...], continuing: CRC32.checksum(bytes[magic.count..<12]))
        guard actual == expected else { throw .checksum(expected: expected, actual: actual) }
        guard reserved == 0 else { throw .malformed("reserved header byte \(reserved)") }
        return (kind, headerSize..<bytes.count)
    }
}
