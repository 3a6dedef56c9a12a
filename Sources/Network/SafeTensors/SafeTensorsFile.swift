import Foundation

/// A validated safetensors file: its string metadata and its tensors, read as Float on request.
///
/// The whole file is mapped, not copied; only the tensors asked for are converted. Every problem
/// with the file is a `NetworkError` that names it.
public struct SafeTensorsFile: Sendable {
    /// Where the file came from (used in error messages).
    public let path: String
    /// The `__metadata__` strings, empty when the file has none.
    public let metadata: [String: String]
    /// The tensors by name.
    public let entries: [String: SafeTensorsEntry]
    /// The data section: the bytes after the header.
    private let data: Data

    /// Reads and validates the file at `path`.
    /// - Throws: `NetworkError.missingWeights` if there is no file, `.unreadable` if it cannot be
    ///   read, `.corrupt` if it is not a valid safetensors file.
    public init(contentsOf path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw NetworkError.missingWeights(path: path) }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw NetworkError.unreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Validates `bytes`, the contents of a safetensors file that error messages call `path`.
    public init(bytes: Data, path: String) throws {
        let headerLength = try SafeTensorsHeader.length(of: bytes, path: path)
        let headerStart = bytes.startIndex + 8
        let dataStart = headerStart + headerLength
        let header = try SafeTensorsHeader(
            json: bytes[headerStart..<dataStart], dataCount: bytes.endIndex - dataStart, path: path)
        self.path = path
        self.metadata = header.metadata
        self.entries = Dictionary(uniqueKeysWithValues: header.entries.map { ($0.name, $0) })
        self.data = bytes[dataStart...]
    }

    /// The tensor called `name`, converted to Float (from F32, F16, BF16 or F64), in the file's
    /// element order (row-major over its shape).
    /// - Throws: `NetworkError.incompatible` if there is no such tensor or it is not floating-point.
    public func floats(_ name: String) throws -> [Float] {
        guard let entry = entries[name] else {
            throw NetworkError.incompatible(path: path, reason: "no tensor named \(name)")
        }
        guard entry.dtype.isFloatingPoint else {
            throw NetworkError.incompatible(
                path: path, reason: "tensor \(name) is \(entry.dtype.rawValue), not floating-point")
        }
        let start = data.startIndex + entry.byteRange.lowerBound
        let count = entry.elementCount
        return data[start..<start + entry.byteRange.count].withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    buffer[index] = Self.float(raw, index: index, dtype: entry.dtype)
                }
                initialized = count
            }
        }
    }

    /// Element `index` of little-endian `raw` data of type `dtype`, as Float.
    @inline(__always)
    private static func float(_ raw: UnsafeRawBufferPointer, index: Int, dtype: SafeTensorsDType) -> Float {
        switch dtype {
        case .float32:
            return Float(
                bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
        case .float64:
            return Float(
                Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))))
        case .float16:
            return Float(
                Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)))
            )
        case .bfloat16:
            // bfloat16 is the top half of a Float32.
            let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
            return Float(bitPattern: UInt32(bits) << 16)
        default:
            preconditionFailure("\(dtype) is not floating-point")
        }
    }
}
