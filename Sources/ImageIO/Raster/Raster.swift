/// Pixels in memory, the way the engine wants them: Float32, planar (channel-major: all of
/// channel 0, then all of channel 1, …), each plane row-major, values in 0…1 (stored sample ÷
/// `bitDepth.maxValue`). Float32 holds every 16-bit value exactly enough to round-trip, so a
/// 16-bit input keeps its 16 bits of precision to a 16-bit output.
public struct Raster: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let layout: ChannelLayout
    /// The depth the pixels came from and are written back at.
    public var bitDepth: BitDepth
    /// `layout.channelCount` planes of `width × height` values.
    public var samples: [Float]

    /// A raster filled with `value` (0 by default).
    public init(width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth = .eight, fill value: Float = 0) {
        precondition(width >= 0 && height >= 0, "raster size must not be negative")
        self.width = width
        self.height = height
        self.layout = layout
        self.bitDepth = bitDepth
        self.samples = [Float](repeating: value, count: width * height * layout.channelCount)
    }

    /// A raster over existing planar samples (`samples.count` must be width × height × channels).
    public init(width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth = .eight, samples: [Float]) {
        precondition(samples.count == width * height * layout.channelCount, "sample count does not match the size")
        self.width = width
        self.height = height
        self.layout = layout
        self.bitDepth = bitDepth
        self.samples = samples
    }

    public var channelCount: Int { layout.channelCount }
    public var planeSize: Int { width * height }
    /// The whole raster as a rectangle at the origin.
    public var bounds: PixelRect { PixelRect(width: width, height: height) }

    /// The value of `channel` at (`x`, `y`).
    public subscript(x: Int, y: Int, channel: Int) -> Float {
        get { samples[channel * planeSize + y * width + x] }
        set { samples[channel * planeSize + y * width + x] = newValue }
    }

    /// The range of `samples` that holds one channel's plane.
    public func planeRange(_ channel: Int) -> Range<Int> {
        channel * planeSize..<(channel + 1) * planeSize
    }
}
