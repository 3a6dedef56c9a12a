import Foundation

/// The parsed and validated JSON header of a safetensors file.
///
/// Layout: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON (an object
/// mapping each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}`, plus an optional
/// `"__metadata__"` object of strings), then the data section. Validation is strict, as in the
/// reference implementation: every byte range must have exactly the size its dtype and shape
/// imply, lie inside the data section, and overlap no other.
struct SafeTensorsHeader {
    /// Headers longer than this are refused before anything is read (the reference
    /// implementation's own limit): a corrupt length must not make us allocate gigabytes.
    static let maximumLength = 100_000_000
    /// The key of the free-form string metadata.
    static let metadataKey = "__metadata__"

    var metadata: [String: String]
    var entries: [SafeTensorsEntry]

    /// Reads the 8-byte length prefix and checks it against the file size.
    /// - Returns: the header length in bytes.
    static func length(of bytes: Data, path: String) throws -> Int {
        guard bytes.count >= 8 else {
            throw NetworkError.corrupt(
                path: path, reason: "truncated: \(bytes.count) bytes, less than the 8-byte header length")
        }
        let length = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(maximumLength) else {
            throw NetworkError.corrupt(
                path: path, reason: "header length \(length) exceeds the limit of \(maximumLength) bytes")
        }
        guard Int(length) <= bytes.count - 8 else {
            throw NetworkError.corrupt(
                path: path, reason: "header length \(length) runs past the end of the \(bytes.count)-byte file")
        }
        return Int(length)
    }

    /// Parses and validates `json`, whose tensors must lie in a data section of `dataCount` bytes.
    init(json: Data, dataCount: Int, path: String) throws {
        func corrupt(_ reason: String) -> NetworkError { .corrupt(path: path, reason: reason) }
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw corrupt("the header is not a JSON object")
        }
        metadata = [:]
        entries = []
        for (name, value) in object {
            if name == Self.metadataKey {
                guard let strings = value as? [String: String] else {
                    throw corrupt("\(Self.metadataKey) is not an object of strings")
                }
                metadata = strings
                continue
            }
            entries.append(try Self.entry(name: name, value: value, dataCount: dataCount, corrupt: corrupt))
        }
        try Self.checkNoOverlap(entries, corrupt: corrupt)
    }

    /// Validates one tensor's description.
    private static func entry(
        name: String, value: Any, dataCount: Int, corrupt: (String) -> NetworkError
    ) throws -> SafeTensorsEntry {
        guard let fields = value as? [String: Any] else { throw corrupt("tensor \(name): not an object") }
        guard let dtypeName = fields["dtype"] as? String else { throw corrupt("tensor \(name): no dtype") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw corrupt("tensor \(name): unknown dtype \(dtypeName)")
        }
        guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw corrupt("tensor \(name): shape is not a list of non-negative integers")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
            throw corrupt("tensor \(name): data_offsets is not a pair of integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard 0 <= begin, begin <= end, end <= dataCount else {
            throw corrupt(
                "tensor \(name): data_offsets [\(begin), \(end)] out of range of the \(dataCount)-byte data section")
        }
        var byteCount = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw corrupt("tensor \(name): shape \(shape) is too large") }
            byteCount = product
        }
        guard byteCount == end - begin else {
            throw corrupt(
                "tensor \(name): \(dtypeName) \(shape) needs \(byteCount) bytes, data_offsets give \(end - begin)")
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    /// Refuses two tensors sharing bytes (which would let one write change another).
    private static func checkNoOverlap(_ entries: [SafeTensorsEntry], corrupt: (String) -> NetworkError) throws {
        let sorted = entries.filter { !$0.byteRange.isEmpty }.sorted {
            $0.byteRange.lowerBound < $1.byteRange.lowerBound
        }
        for (previous, next) in zip(sorted, sorted.dropFirst())
        where next.byteRange.lowerBound < previous.byteRange.upperBound {
            throw corrupt("tensors \(previous.name) and \(next.name) overlap")
        }
    }

    /// A JSON array of integers (no fractions, no negatives beyond what the caller checks).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [NSNumber] else { return nil }
        var result: [Int] = []
        for number in numbers {
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 9.0e15 else { return nil }
            result.append(number.intValue)
        }
        return result
    }
}
