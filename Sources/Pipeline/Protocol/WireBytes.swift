import ImageIO
import Tensor

/// The fields of a message payload, appended little-endian to the store's `ByteWriter`: Float32
/// values, rectangles, counted lists and UTF-8 strings (tensors: `SampleCoding`).
extension ByteWriter {
    mutating func append(_ value: Float) { append(value.bitPattern) }
    mutating func append(_ value: Double) { append(value.bitPattern) }
    mutating func append(_ value: Bool) { append(UInt8(value ? 1 : 0)) }

    /// A count or size, which the reader checks against the bytes it has.
    mutating func append(count: Int) {
        precondition(count >= 0 && count <= Int(UInt32.max), "a count of \(count) does not fit a frame")
        append(UInt32(count))
    }

    mutating func append(_ string: String) {
        append(count: string.utf8.count)
        append(raw: string.utf8)
    }

    mutating func append(_ rect: PixelRect) {
        for value in [rect.x, rect.y, rect.width, rect.height] { append(Int64(value)) }
    }

    mutating func append<Element>(_ list: [Element], each: (inout ByteWriter, Element) -> Void) {
        append(count: list.count)
        for element in list { each(&self, element) }
    }
}

/// Reads what `ByteWriter` wrote into a message payload. Every read checks the bytes left first, and every count is
/// checked against them before anything is allocated, so no byte string can trap or exhaust memory.
struct WireReader {
    private let bytes: [UInt8]
    private(set) var position: Int

    /// The bytes the tensors still to be read may take in memory: a deflated body is small on the
    /// wire and large once inflated, so the frame's own limit alone does not bound what it costs.
    private(set) var decodedBudget: Int

    init(_ bytes: [UInt8], from position: Int = 0, decodedBudget: Int = Frame.defaultLimit) {
        self.bytes = bytes
        self.position = position
        self.decodedBudget = decodedBudget
    }

    /// Takes `count` Float32 values from the budget of decoded tensors.
    mutating func spend(floats count: Int) throws(ProtocolError) {
        guard count <= decodedBudget / 4 else {
            throw .malformed("tensors of more than \(decodedBudget) more bytes once decoded")
        }
        decodedBudget -= count * 4
    }

    var remaining: Int { bytes.count - position }

    mutating func take(_ count: Int) throws(ProtocolError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw .malformed("a field needs \(count) bytes at offset \(position), \(remaining) left")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(ProtocolError) -> T {
        let slice = try take(MemoryLayout<T>.size)
        var value: T = 0
        for (shift, byte) in slice.enumerated() { value |= T(truncatingIfNeeded: byte) << (shift * 8) }
        return value
    }

    mutating func readFloat() throws(ProtocolError) -> Float { Float(bitPattern: try read(UInt32.self)) }
    mutating func readDouble() throws(ProtocolError) -> Double { Double(bitPattern: try read(UInt64.self)) }

    mutating func readBool() throws(ProtocolError) -> Bool {
        switch try read(UInt8.self) {
        case 0: return false
        case 1: return true
        case let other: throw .malformed("a flag of \(other)")
        }
    }

    /// A size or index written with `append(count:)`.
    mutating func readSize() throws(ProtocolError) -> Int { Int(try read(UInt32.self)) }

    /// A count whose elements take at least `elementSize` bytes each, checked against the bytes left.
    mutating func readCount(elementSize: Int) throws(ProtocolError) -> Int {
        let count = Int(try read(UInt32.self))
        guard count <= remaining / max(1, elementSize) else {
            throw .malformed("a count of \(count) elements of \(elementSize) bytes with \(remaining) bytes left")
        }
        return count
    }

    mutating func readString() throws(ProtocolError) -> String {
        let count = try readCount(elementSize: 1)
        guard let string = String(validating: try take(count), as: UTF8.self) else { throw .malformed("a string that is not UTF-8") }
        return string
    }

    mutating func readRect() throws(ProtocolError) -> PixelRect {
        let values = [try read(Int64.self), try read(Int64.self), try read(Int64.self), try read(Int64.self)]
        // Not `abs`: it traps on Int64.min, which a corrupted rectangle may hold.
        guard values.allSatisfy({ (-(1 << 40)...(1 << 40)).contains($0) }), values[2] >= 0, values[3] >= 0 else {
            throw .malformed("a rectangle \(values)")
        }
        return PixelRect(x: Int(values[0]), y: Int(values[1]), width: Int(values[2]), height: Int(values[3]))
    }

    /// The largest tensor dimension read from the wire: no image side, tile or channel count comes
    /// near it, and with every dimension below it no product of two can overflow anywhere later.
    static let largestDimension = 1 << 24

    /// A counted list whose elements take at least `elementSize` bytes each.
    mutating func readList<Element>(
        elementSize: Int, _ each: (inout WireReader) throws(ProtocolError) -> Element
    ) throws(ProtocolError) -> [Element] {
        let count = try readCount(elementSize: elementSize)
        var list: [Element] = []
        list.reserveCapacity(count)
        for _ in 0..<count { list.append(try each(&self)) }
        return list
    }

    /// Fails unless every byte has been read.
    func finish() throws(ProtocolError) {
        guard remaining == 0 else { throw .malformed("\(remaining) bytes after the last field") }
    }
}
