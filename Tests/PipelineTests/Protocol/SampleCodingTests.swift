import ImageIO
import Tensor
import TestSupport
import XCTest

@testable import Pipeline

/// Each tensor travels in the smallest coding that carries it bit for bit, and a damaged tensor
/// body is refused with a reason, never trapped on or inflated past its announced size.
final class SampleCodingTests: XCTestCase {
    private func roundTrip(_ tensor: Tensor) throws -> (SampleCoding, Tensor, Int) {
        var writer = ByteWriter()
        writer.append(tensor)
        var reader = WireReader(writer.bytes)
        let back = try reader.readTensor()
        try reader.finish()
        return (SampleCoding.choose(for: tensor), back, writer.bytes.count)
    }

    func testEachKindOfTensorTakesItsCodingAndComesBackBitForBit() throws {
        var random = SeededRandom(seed: 4)
        let eightBit = Tensor(Shape(channels: 3, height: 5, width: 7),
                              values: (0..<105).map { Float(($0 * 37) % 256) * (1 / Float(255)) })
        let sixteenBit = Tensor(Shape(channels: 1, height: 4, width: 4),
                                values: (0..<16).map { Float($0 * 4001 % 65536) * (1 / Float(65535)) })
        let oneHot = PipelineFixtures.halves(width: 9, height: 3)
        let float = random.tensor(Shape(channels: 3, height: 6, width: 5), in: 0...1)
        let guide = random.tensor(Shape(channels: 2, height: 6, width: 5), in: 0...1)
        LevelSources.quantise(guide)
        var negativeZero = Tensor(channels: 1, height: 1, width: 2)
        negativeZero.withUnsafeMutableBufferPointer { $0[1] = -0.0 }
        let outside = Tensor(Shape(channels: 1, height: 1, width: 3), values: [0.5, 2, .nan])
        let cases: [(Tensor, SampleCoding)] = [
            (eightBit, .unorm8), (sixteenBit, .unorm16), (oneHot, .labels), (float, .float32), (guide, .unorm16),
            (negativeZero, .float32), (outside, .float32), (Tensor(channels: 3, height: 0, width: 4), .unorm8),
        ]
        for (tensor, expected) in cases {
            let (coding, back, _) = try roundTrip(tensor)
            XCTAssertEqual(coding, expected, "\(tensor.shape)")
            XCTAssertEqual(back.shape, tensor.shape)
            XCTAssertEqual(back.array.map(\.bitPattern), tensor.array.map(\.bitPattern), "\(expected)")
        }
        // A large one-hot map: a byte per pixel, deflated to almost nothing.
        let (_, _, bytes) = try roundTrip(PipelineFixtures.halves(width: 256, height: 256))
        XCTAssertLessThan(bytes, 2 * 256 * 256 * 4 / 100)
    }

    /// A body that lies: a label beyond the channels, a deflated plane that inflates to more or
    /// less than its size, a raw plane of the wrong length, an unknown coding, and a tensor that
    /// would inflate past the message's budget.
    func testDamagedBodiesAreMalformed() {
        func header(_ channels: UInt32, _ height: UInt32, _ width: UInt32, coding: UInt8) -> ByteWriter {
            var writer = ByteWriter()
            for size in [channels, height, width] { writer.append(size) }
            writer.append(coding)
            return writer
        }
        func reason(_ writer: ByteWriter, budget: Int = Frame.defaultLimit) -> String? {
            var reader = WireReader(writer.bytes, decodedBudget: budget)
            do {
                _ = try reader.readTensor()
                return nil
            } catch {
                guard case .malformed(let reason) = error else { return "\(error)" }
                return reason
            }
        }
        var badLabel = header(2, 1, 2, coding: SampleCoding.labels.rawValue)
        badLabel.append(false)
        badLabel.append(count: 2)
        badLabel.append(raw: [0, 7])  // row differences: labels 0 and 7
        XCTAssertEqual(reason(badLabel), "a 2×1×2 tensor: label 7 of a 2-channel map")

        let zeros = [UInt8](repeating: 0, count: 4096)
        let bomb = zeros.withUnsafeBytes { Zlib.compress($0)! }
        var inflatesTooFar = header(1, 1, 16, coding: SampleCoding.unorm8.rawValue)
        inflatesTooFar.append(true)
        inflatesTooFar.append(count: bomb.count)
        inflatesTooFar.append(raw: bomb)
        XCTAssertEqual(reason(inflatesTooFar), "a 1×1×16 tensor whose byte plane 0 does not inflate to 16 bytes")

        var notZlib = header(1, 1, 16, coding: SampleCoding.unorm8.rawValue)
        notZlib.append(true)
        notZlib.append(count: 3)
        notZlib.append(raw: [1, 2, 3])
        XCTAssertEqual(reason(notZlib), "a 1×1×16 tensor whose byte plane 0 does not inflate to 16 bytes")

        var short = header(1, 2, 2, coding: SampleCoding.unorm8.rawValue)
        short.append(false)
        short.append(count: 3)
        short.append(raw: [1, 2, 3])
        XCTAssertEqual(reason(short), "a 1×2×2 unorm8 tensor with a byte plane of 3 bytes, not 4")

        XCTAssertEqual(reason(header(1, 1, 1, coding: 9)), "a tensor of sample coding 9")
        XCTAssertEqual(reason(header(300, 1, 1, coding: SampleCoding.labels.rawValue)),
                       "a 300×1×1 label map (2 to 256 channels)")
        var huge = header(1, 4096, 4096, coding: SampleCoding.unorm8.rawValue)
        huge.append(true)
        XCTAssertEqual(reason(huge, budget: 1 << 20), "tensors of more than 1048576 more bytes once decoded")
    }
}
