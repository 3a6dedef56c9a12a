import Foundation

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

    /// Runs `work` once to warm caches and buffers, then `repeats` times under the clock.
    static func measure(repeats: Int, _ work: () -> Void) -> Timing {
        work()
        var seconds: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return Timing(seconds: seconds)
    }
}

/// Writes a Codable report as one JSON object with sorted keys on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
