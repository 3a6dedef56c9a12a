import Foundation
import Network
import XCTest

final class SafeTensorsFileTests: XCTestCase {
    /// The bytes of a safetensors file with a hand-written JSON header and raw data section.
    private func bytes(header: String, data: [UInt8], length: UInt64? = nil) -> Data {
        var bytes = Data()
        withUnsafeBytes(of: (length ?? UInt64(header.utf8.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8))
        bytes.append(contentsOf: data)
        return bytes
    }

    /// Asserts that parsing `bytes` fails with `.corrupt` naming the file and containing `reason`.
    private func assertCorrupt(_ bytes: Data, _ reason: String, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensorsFile(bytes: bytes, path: "w.safetensors"), line: line) { error in
            guard case NetworkError.corrupt(let path, let message) = error else {
                return XCTFail("expected corrupt, got \(error)", line: line)
            }
            XCTAssertEqual(path, "w.safetensors", line: line)
            XCTAssertTrue(message.contains(reason), "\(message) lacks \(reason)", line: line)
            XCTAssertTrue("\(error)".hasPrefix("w.safetensors: "), "\(error)", line: line)
        }
    }

    func testWrittenFileReadsBackWithMetadataAndValues() throws {
        let tensors: [SafeTensorsFile.TensorToWrite] = [
            .init(name: "a", shape: [2, 3], values: [1, 2, 3, 4, 5, -6.5]),
            .init(name: "b", shape: [1], values: [.pi]),
            .init(name: "empty", shape: [0, 4], values: []),
        ]
        let data = SafeTensorsFile.encode(tensors, metadata: ["preprocessing": "caffe"])
        XCTAssertEqual(data.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) } % 8, 0)
        let file = try SafeTensorsFile(bytes: data, path: "t.safetensors")
        XCTAssertEqual(file.metadata, ["preprocessing": "caffe"])
        XCTAssertEqual(Set(file.entries.keys), ["a", "b", "empty"])
        XCTAssertEqual(file.entries["a"]?.shape, [2, 3])
        XCTAssertEqual(file.entries["a"]?.dtype, .float32)
        XCTAssertEqual(try file.floats("a"), [1, 2, 3, 4, 5, -6.5])
        XCTAssertEqual(try file.floats("b"), [.pi])
        XCTAssertEqual(try file.floats("empty"), [])
    }

    func testWriteAndReadAFileOnDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafeTensorsFile.write([.init(name: "w", shape: [2], values: [0.5, 2])], to: path)
        let file = try SafeTensorsFile(contentsOf: path)
        XCTAssertEqual(try file.floats("w"), [0.5, 2])
        XCTAssertEqual(file.metadata, [:])
    }

    func testHalfBFloatAndDoubleConvertToFloat() throws {
        let half = Float16(1.5).bitPattern  // 0x3E00
        let bfloat = UInt16(Float(-2.25).bitPattern >> 16)
        let double = Double(0.125).bitPattern
        var data: [UInt8] = []
        withUnsafeBytes(of: half.littleEndian) { data += $0 }
        withUnsafeBytes(of: bfloat.littleEndian) { data += $0 }
        withUnsafeBytes(of: double.littleEndian) { data += $0 }
        let header =
            #"{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"#
            + #""b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]},"#
            + #""d":{"dtype":"F64","shape":[],"data_offsets":[4,12]}}"#
        let file = try SafeTensorsFile(bytes: bytes(header: header, data: data), path: "x")
        XCTAssertEqual(try file.floats("h"), [1.5])
        XCTAssertEqual(try file.floats("b"), [-2.25])
        XCTAssertEqual(try file.floats("d"), [0.125])
    }

    func testIntegerTensorIsValidButNotReadableAsWeights() throws {
        let header = #"{"i":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#
        let file = try SafeTensorsFile(bytes: bytes(header: header, data: [1, 0, 0, 0]), path: "x")
        XCTAssertThrowsError(try file.floats("i")) { XCTAssertTrue("\($0)".contains("not floating-point"), "\($0)") }
        XCTAssertThrowsError(try file.floats("nope")) {
            XCTAssertTrue("\($0)".contains("no tensor named nope"), "\($0)")
        }
    }

    func testTruncatedFiles() {
        assertCorrupt(Data([1, 2, 3]), "truncated")
        let whole = SafeTensorsFile.encode([.init(name: "a", shape: [4], values: [1, 2, 3, 4])])
        assertCorrupt(whole.prefix(whole.count - 1), "out of range")
        assertCorrupt(whole.prefix(12), "runs past the end")
    }

    func testHeaderLengthPastTheEndOrAbsurd() {
        assertCorrupt(bytes(header: "{}", data: [], length: 3), "runs past the end")
        assertCorrupt(bytes(header: "{}", data: [], length: 1 << 40), "exceeds the limit")
    }

    func testOffsetsOutOfRange() {
        let data = [UInt8](repeating: 0, count: 8)
        assertCorrupt(
            bytes(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: data), "out of range")
        assertCorrupt(
            bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, data: data), "out of range")
        assertCorrupt(
            bytes(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: data), "out of range")
    }

    func testSizeThatDisagreesWithShapeOrDtype() {
        let data = [UInt8](repeating: 0, count: 8)
        assertCorrupt(
            bytes(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: data), "needs 12 bytes")
        assertCorrupt(bytes(header: #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: data), "shape")
        assertCorrupt(
            bytes(
                header: #"{"a":{"dtype":"F32","shape":[1125899906842624,1048576],"data_offsets":[0,8]}}"#, data: data),
            "too large")
    }

    func testOverlappingTensors() {
        let header =
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        assertCorrupt(bytes(header: header, data: [UInt8](repeating: 0, count: 8)), "overlap")
    }

    func testUnknownDtype() {
        let header = #"{"a":{"dtype":"F8_E9M9","shape":[1],"data_offsets":[0,1]}}"#
        assertCorrupt(bytes(header: header, data: [0]), "unknown dtype F8_E9M9")
    }

    func testHeaderThatIsNotAJSONObjectOrHasBadMetadata() {
        assertCorrupt(bytes(header: "[1,2]", data: []), "not a JSON object")
        assertCorrupt(bytes(header: "{\"a\":", data: []), "not a JSON object")
        assertCorrupt(bytes(header: #"{"__metadata__":{"k":1}}"#, data: []), "__metadata__")
        assertCorrupt(bytes(header: #"{"a":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), "no dtype")
    }

    func testMissingFileNamesTheFetchScript() {
        XCTAssertThrowsError(try SafeTensorsFile(contentsOf: "/nonexistent/w.safetensors")) { error in
            XCTAssertEqual(error as? NetworkError, .missingWeights(path: "/nonexistent/w.safetensors"))
            XCTAssertTrue("\(error)".contains("Scripts/fetch-weights"), "\(error)")
        }
    }
}
