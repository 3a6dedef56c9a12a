extension Raster {
    /// The colour channels only (gray or RGB), for stylising; alpha is left out.
    public func colour() -> Raster {
        if !layout.hasAlpha { return self }
        let colourLayout = layout.withAlpha(false)
        return Raster(
            width: width, height: height, layout: colourLayout, bitDepth: bitDepth,
            samples: Array(samples[0..<colourLayout.channelCount * planeSize]))
    }

    /// The alpha plane as a gray raster, or nil when there is none.
    public func alpha() -> Raster? {
        guard layout.hasAlpha else { return nil }
        return Raster(
            width: width, height: height, layout: .gray, bitDepth: bitDepth,
            samples: Array(samples[planeRange(channelCount - 1)]))
    }

    /// This raster's alpha carried untouched onto new colour: the result has `colour`'s colour
    /// channels and this raster's alpha plane (stylise the colour, keep the alpha). `colour`
    /// must be the same size, gray or RGB.
    public func replacingColour(with colour: Raster) -> Raster {
        precondition(colour.width == width && colour.height == height, "colour must be the same size")
        precondition(!colour.layout.hasAlpha, "the new colour must not carry alpha")
        guard let alpha = alpha() else { return colour }
        return Raster(
            width: width, height: height, layout: colour.layout.withAlpha(true), bitDepth: bitDepth,
            samples: colour.samples + alpha.samples)
    }

    /// Grey as RGB (the grey plane three times), alpha kept; RGB and RGBA unchanged. For formats
    /// with no grey mode (WebP).
    public func expandingGrey() -> Raster {
        guard layout.colourChannelCount == 1 else { return self }
        let grey = Array(samples[planeRange(0)])
        return Raster(
            width: width, height: height, layout: layout.hasAlpha ? .rgba : .rgb, bitDepth: bitDepth,
            samples: grey + grey + grey + (alpha()?.samples ?? []))
    }
}
