/// How a canvas file stores each sample. Float32 is exact (the canvas is the optimisation's state
/// between rounds); Float16 halves the disk and page-cache footprint at a relative error of at most
/// 2⁻¹¹, which is invisible in 8-bit output but not in 16-bit output (see `Cluster/README.md`).
public enum CanvasPrecision: String, Codable, Sendable, CaseIterable {
    case float16
    case float32

    /// Bytes per sample in the file.
    public var bytesPerSample: Int {
        switch self {
        case .float16: 2
        case .float32: 4
        }
    }
}
