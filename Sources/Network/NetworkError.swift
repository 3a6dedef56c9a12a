/// Everything that can go wrong in `Network`: each case names the file (or layer) and the reason,
/// in one line, because the command line prints it as is (DESIGN.md §7).
public enum NetworkError: Error, Equatable, CustomStringConvertible {
    /// No file at `path`. The default weights come from `Scripts/fetch-weights`; nothing in
    /// atelier downloads them at run time (DESIGN.md §6).
    case missingWeights(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// A file could not be written (the converter and the tests write safetensors files).
    case unwritable(path: String, reason: String)
    /// The file is not a valid safetensors file: bad header length, JSON, dtype, shape or offsets.
    case corrupt(path: String, reason: String)
    /// A valid safetensors file that does not hold the network asked for (a missing tensor, a
    /// shape that does not fit the layer table, an unknown preprocessing mode).
    case incompatible(path: String, reason: String)
    /// An image too small to reach `layer`: each pooling halves the size, and no size may reach 0.
    case imageTooSmall(width: Int, height: Int, layer: String)
    /// A gradient given for a layer that the last forward pass did not reach, or of the wrong shape.
    case gradientMismatch(layer: String, reason: String)
    /// A layer name that the network does not have, such as `relu6_1` or `relu5_4` on VGG-16.
    case unknownLayer(name: String, architecture: String)

    public var description: String {
        switch self {
        case .missingWeights(let path):
            return "\(path): no such weights file; run Scripts/fetch-weights to fetch the default VGG-16 weights"
        case .unreadable(let path, let reason):
            return "\(path): cannot read the weights file: \(reason)"
        case .unwritable(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .corrupt(let path, let reason):
            return "\(path): not a valid safetensors file: \(reason)"
        case .incompatible(let path, let reason):
            return "\(path): not usable as VGG weights: \(reason)"
        case .imageTooSmall(let width, let height, let layer):
            return "a \(width)×\(height) image is too small to reach \(layer)"
        case .gradientMismatch(let layer, let reason):
            return "gradient at \(layer): \(reason)"
        case .unknownLayer(let name, let architecture):
            return "\(architecture) has no layer named \(name)"
        }
    }
}
