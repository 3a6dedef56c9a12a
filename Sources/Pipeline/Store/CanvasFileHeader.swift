/// The 64-byte header at the start of a canvas file, little-endian:
///
///     0  magic "ATCANVAS"     8 version (UInt32)   12 bytes per sample (UInt32: 2 or 4)
///     16 channels (UInt32)    20 reserved (0)      24 width (UInt64)   32 height (UInt64)
///     40 reserved (0) up to 64, then the samples: channel-major C×H×W, like `Tensor`.
///
/// Channel-major keeps a Float32 rectangle row a single `memcpy` from the mapping into a tensor row.
struct CanvasFileHeader: Equatable {
    static let magic = Array("ATCANVAS".utf8)
    static let version: UInt32 = 1
    static let size = 64
    /// Bounds that keep every offset computation far from overflow; a gigapixel level is ~40000 wide.
    static let maximumSide = 1 << 24
    static let maximumChannels = 1 << 12

    var precision: CanvasPrecision
    var channels: Int
    var width: Int
    var height: Int

    /// Bytes of sample data after the header.
    var dataSize: Int { channels * width * height * precision.bytesPerSample }
    /// Bytes of the whole file.
    var fileSize: Int { Self.size + dataSize }

    /// Why these dimensions cannot be a canvas, or nil when they can.
    static func problem(channels: Int, width: Int, height: Int) -> String? {
        guard channels > 0, width > 0, height > 0 else {
            return "\(channels) channels of \(width)x\(height) pixels: every dimension must be positive"
        }
        guard channels <= maximumChannels, width <= maximumSide, height <= maximumSide else {
            return "\(channels) channels of \(width)x\(height) pixels is beyond \(maximumChannels) channels"
                + " or \(maximumSide) pixels a side"
        }
        return nil
    }

    /// The header's bytes.
    var bytes: [UInt8] {
        var writer = ByteWriter(reservingCapacity: Self.size)
        writer.append(raw: Self.magic)
        writer.append(Self.version)
        writer.append(UInt32(precision.bytesPerSample))
        writer.append(UInt32(channels))
        writer.append(UInt32(0))
        writer.append(UInt64(width))
        writer.append(UInt64(height))
        writer.pad(to: Self.size)
        return writer.bytes
    }

    /// Parses and validates the header of a file of `fileSize` bytes whose first bytes are `bytes`.
    /// - Throws: `.corrupt` (truncated, wrong magic, bad fields, size that disagrees with the
    ///   header) or `.unsupported` (another format version), naming `path`.
    init(bytes: [UInt8], fileSize: Int, path: String) throws {
        guard bytes.count >= Self.size, fileSize >= Self.size else {
            throw PipelineStoreError.corrupt(
                path: path, reason: "truncated header (\(fileSize) bytes, a canvas file starts with \(Self.size))")
        }
        var reader = ByteReader(bytes, path: path)
        try reader.readSignature(magic: Self.magic, version: Self.version, kind: "canvas")
        switch try reader.read(UInt32.self, "precision") {
        case 2: precision = .float16
        case 4: precision = .float32
        case let other:
            throw PipelineStoreError.corrupt(path: path, reason: "\(other) bytes per sample (expected 2 or 4)")
        }
        let channels = try reader.read(UInt32.self, "channels")
        _ = try reader.read(UInt32.self, "reserved")
        let width = try reader.read(UInt64.self, "width")
        let height = try reader.read(UInt64.self, "height")
        guard width <= UInt64(Self.maximumSide), height <= UInt64(Self.maximumSide) else {
            throw PipelineStoreError.corrupt(path: path, reason: "impossible size \(width)x\(height) in the header")
        }
        self.channels = Int(channels)
        self.width = Int(width)
        self.height = Int(height)
        if let problem = Self.problem(channels: self.channels, width: self.width, height: self.height) {
            throw PipelineStoreError.corrupt(path: path, reason: "header says \(problem)")
        }
        guard fileSize == self.fileSize else {
            let what = fileSize < self.fileSize ? "truncated" : "wrong size"
            throw PipelineStoreError.corrupt(
                path: path,
                reason: "\(what): \(fileSize) bytes, but a \(self.channels)×\(self.width)x\(self.height)"
                    + " \(precision.rawValue) canvas is \(self.fileSize)")
        }
    }

    init(precision: CanvasPrecision, channels: Int, width: Int, height: Int) {
        self.precision = precision
        self.channels = channels
        self.width = width
        self.height = height
    }
}
