/// Per-channel minimum, maximum and mean of a whole image, in stored sample units (0…255 or
/// 0…65535).
public struct ChannelStatistics: Equatable, Sendable {
    public var minimum: Int
    public var maximum: Int
    public var mean: Double
}

public enum ImageStatistics {
    /// Decodes `source` one `readingRegions` piece at a time (so memory stays at one strip or
    /// tile, whatever the image size) and accumulates each channel's minimum, maximum and sum.
    /// Samples are turned back into their stored integers and summed exactly in `Int`, so the
    /// mean agrees with an independent decoder's to the last digit.
    public static func compute(_ source: any ImageSource) throws -> [ChannelStatistics] {
        let channels = source.info.layout.channelCount
        let scale = Float(source.info.bitDepth.maxValue)
        var minimum = [Int](repeating: .max, count: channels)
        var maximum = [Int](repeating: .min, count: channels)
        var sum = [Int](repeating: 0, count: channels)
        for region in source.readingRegions {
            let raster = try source.read(region: region)
            raster.samples.withUnsafeBufferPointer { samples in
                for channel in 0..<channels {
                    var (low, high, total) = (minimum[channel], maximum[channel], 0)
                    for value in samples[raster.planeRange(channel)] {
                        let stored = Int((value * scale).rounded())
                        low = min(low, stored)
                        high = max(high, stored)
                        total += stored
                    }
                    (minimum[channel], maximum[channel]) = (low, high)
                    sum[channel] += total
                }
            }
        }
        let count = Double(source.info.width) * Double(source.info.height)
        return (0..<channels).map {
            ChannelStatistics(minimum: minimum[$0], maximum: maximum[$0], mean: Double(sum[$0]) / count)
        }
    }
}
