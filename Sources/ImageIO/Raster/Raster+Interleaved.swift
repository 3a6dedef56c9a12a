extension Raster {
    /// A raster from 8-bit interleaved samples (RGBRGB…, row-major), as decoders and most image
    /// APIs hand them out.
    public init(interleaved8 values: [UInt8], width: Int, height: Int, layout: ChannelLayout) {
        self.init(interleaved: values, width: width, height: height, layout: layout, bitDepth: .eight)
    }

    /// A raster from 16-bit interleaved samples (host byte order); keeps all 16 bits.
    public init(interleaved16 values: [UInt16], width: Int, height: Int, layout: ChannelLayout) {
        self.init(interleaved: values, width: width, height: height, layout: layout, bitDepth: .sixteen)
    }

    /// The pixels as 8-bit interleaved samples (quantised from whatever depth they came from).
    public func interleaved8() -> [UInt8] {
        var copy = self
        copy.bitDepth = .eight
        return copy.interleaved(as: UInt8.self)
    }

    /// The pixels as 16-bit interleaved samples in host byte order.
    public func interleaved16() -> [UInt16] {
        var copy = self
        copy.bitDepth = .sixteen
        return copy.interleaved(as: UInt16.self)
    }

    init<Sample: FixedWidthInteger & UnsignedInteger>(
        interleaved values: [Sample], width: Int, height: Int, layout: ChannelLayout, bitDepth: BitDepth
    ) {
        precondition(values.count == width * height * layout.channelCount, "sample count does not match the size")
        self.init(width: width, height: height, layout: layout, bitDepth: bitDepth)
        let grid = SampleGrid(interleaved: bounds, channels: layout.channelCount)
        values.withUnsafeBufferPointer { importSamples(from: $0, grid: grid, region: bounds, origin: (0, 0)) }
    }

    /// The pixels interleaved at this raster's `bitDepth` (`Sample` must be wide enough).
    func interleaved<Sample: FixedWidthInteger & UnsignedInteger>(as _: Sample.Type) -> [Sample] {
        let grid = SampleGrid(interleaved: bounds, channels: channelCount)
        return [Sample](unsafeUninitializedCapacity: samples.count) { buffer, count in
            exportSamples(into: buffer, grid: grid, region: bounds, origin: (0, 0))
            count = samples.count
        }
    }
}
