import Foundation

extension SafeTensorsFile {
    /// One Float32 tensor to write: its name, its shape and its values in row-major order.
    public struct TensorToWrite: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "\(values.count) values for \(name) of shape \(shape)")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The bytes of a safetensors file holding `tensors` as F32, in order, and `metadata`. The
    /// header is padded with spaces to a multiple of 8 bytes so that the data stays aligned, as the
    /// reference writer does.
    public static func encode(_ tensors: [TensorToWrite], metadata: [String: String] = [:]) -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header[SafeTensorsHeader.metadataKey] = metadata }
        var offset = 0
        for tensor in tensors {
            let byteCount = tensor.values.count * 4
            header[tensor.name] = [
                "dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + byteCount],
            ]
            offset += byteCount
        }
        var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))

        var bytes = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(json)
        for tensor in tensors {
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Writes `tensors` and `metadata` to `path` as a safetensors file, atomically.
    /// - Throws: `NetworkError.unwritable` naming the path if it cannot be written.
    public static func write(_ tensors: [TensorToWrite], metadata: [String: String] = [:], to path: String) throws {
        do {
            try encode(tensors, metadata: metadata).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NetworkError.unwritable(path: path, reason: error.localizedDescription)
        }
    }
}
