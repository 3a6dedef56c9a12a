import Foundation
import Tensor

/// Repeated timings of one piece of work: these machines are shared and noisy, so every figure
/// is reported as min / median / max over repeats, and rates are compared as ratios measured
/// side by side in the same process.
struct Timing: Codable {
    var seconds: [Double]

    var min: Double { seconds.min() ?? .nan }
    var max: Double { seconds.max() ?? .nan }
    var median: Double {
        let sorted = seconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Times `work` and a `reference` alternately (reference, work, reference, work, …), so
    /// that both see the same machine load: on a shared machine a ratio of the two is far
    /// steadier than either figure alone.
    static func measurePaired(repeats: Int, reference: () -> Void, _ work: () -> Void) -> (work: Timing, reference: Timing) {
        reference()
        work()
        var workSeconds: [Double] = [], referenceSeconds: [Double] = []
        for _ in 0..<repeats {
            referenceSeconds.append(clock(reference))
            workSeconds.append(clock(work))
        }
        return (Timing(seconds: workSeconds), Timing(seconds: referenceSeconds))
    }

    /// Wall-clock seconds of one run of `work`.
    static func clock(_ work: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        work()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Runs `work` once to warm caches and buffers, then `repeats` times under the clock.
    static func measure(repeats: Int, _ work: () -> Void) -> Timing {
        work()
        return Timing(seconds: (0..<repeats).map { _ in clock(work) })
    }
}

/// The square SGEMM whose rate every benchmark's ratios are taken against (n = 2048 in
/// reports): measured in the same process as the work it is compared with.
struct ReferenceSGEMM {
    let size: Int
    private let a: Tensor, b: Tensor, c: Tensor

    init(size: Int) {
        self.size = size
        a = Tensor(channels: 1, height: size, width: size)
        b = Tensor(channels: 1, height: size, width: size)
        c = Tensor(channels: 1, height: size, width: size)
        a.fill(0.5)
        b.fill(0.25)
    }

    /// FLOPs of one product: 2n³.
    var flops: Double { 2 * pow(Double(size), 3) }

    /// One product.
    func run() {
        let n = size
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    Matrix.multiply(.normal, pa, lda: n, .normal, pb, ldb: n, into: pc, ldc: n, m: n, n: n, k: n)
                }
            }
        }
    }

    /// Timed on its own, median of at least 5.
    func measure(repeats: Int) -> Timing { Timing.measure(repeats: max(repeats, 5), run) }

    /// GFLOP/s at a timing's median.
    func rate(_ timing: Timing) -> Double { flops / timing.median / 1e9 }
}

/// Writes a Codable report as one JSON object with sorted keys on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
