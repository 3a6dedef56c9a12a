/// How a canvas file stores each sample. Float32 is exact (the canvas is the optimisation's state
/// between rounds); Float16 halves the disk and page-cache footprint at a relative error of at most
/// 2⁻¹¹, which is invisible in 8-bit output but not in 16-bit output (see `Cluster/README.md`).
public enum CanvasPrecision: String, Codable, Sendable, CaseIterable {
    case float16
    case float32

    /// The precision of a level's canvas: Float32, so that a tiled run's output has the same bytes
    /// as the single-process run (Float16 would round the optimisation's state after every round;
    /// measured: 2% of 8-bit output samples change by one step, 16-bit ones by up to 16 steps).
    /// Reading and writing either takes milliseconds per 512×512×3 tile, so speed does not decide.
    public static let levelCanvas = CanvasPrecision.float32

    /// Bytes per sample in the file.
    public var bytesPerSample: Int {
        switch self {
        case .float16: 2
        case .float32: 4
        }
    }
}
