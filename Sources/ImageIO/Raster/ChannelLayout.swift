/// The channels a pixel holds. Alpha, when present, is always the last channel.
public enum ChannelLayout: Int, Sendable, CaseIterable, CustomStringConvertible {
    case gray = 1
    case grayAlpha = 2
    case rgb = 3
    case rgba = 4

    /// Channels per pixel.
    public var channelCount: Int { rawValue }
    public var hasAlpha: Bool { self == .grayAlpha || self == .rgba }
    /// Channels that carry colour (everything but alpha).
    public var colourChannelCount: Int { hasAlpha ? channelCount - 1 : channelCount }

    /// The layout for a channel count, or nil for anything but 1–4.
    public init?(channelCount: Int) {
        self.init(rawValue: channelCount)
    }

    /// The same colour model with or without alpha.
    public func withAlpha(_ alpha: Bool) -> ChannelLayout {
        switch self {
        case .gray, .grayAlpha: return alpha ? .grayAlpha : .gray
        case .rgb, .rgba: return alpha ? .rgba : .rgb
        }
    }

    public var description: String {
        switch self {
        case .gray: return "gray"
        case .grayAlpha: return "gray+alpha"
        case .rgb: return "rgb"
        case .rgba: return "rgba"
        }
    }
}

/// Bits per stored sample. A raster remembers the depth it came from so that a 16-bit input is
/// written back at 16 bits.
public enum BitDepth: Int, Sendable, CaseIterable {
    case eight = 8
    case sixteen = 16

    /// The largest stored sample value: 255 or 65535. Raster values are stored ÷ this.
    public var maxValue: Int { self == .eight ? 255 : 65535 }
    public var bytesPerSample: Int { rawValue / 8 }
}
