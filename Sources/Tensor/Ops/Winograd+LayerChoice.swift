extension Conv3x3 {
    /// The lowering a convolution from `inputChannels` to `outputChannels` at `height`×`width`
    /// uses when the process does not force one (`Conv3x3.lowering` nil): a fixed table from
    /// `atelier bench engine --lowerings im2col shifted winograd winograd4` (each VGG-16 layer,
    /// forward and backward, at 256² and 512², timed alternately in one process).
    ///
    /// - Few input channels (conv1_1's forward, K = 3): the transformed GEMMs are all overhead;
    ///   im2col's K = 27 is already small, and it measured 2–4× faster.
    /// - Images narrower than 32 pixels (conv5 at 256²): F(4×4, 3×3) fills at most half of its
    ///   eight SIMD lanes per row of tiles, and F(2×2, 3×3) measured faster.
    /// - Everything else: F(4×4, 3×3), 1.3–2.7× faster than im2col per layer, with relative errors
    ///   against Float64 of a few 10⁻⁶ (WinogradTests), far inside the optimisation's own noise.
    public static func preferredLowering(inputChannels: Int, outputChannels: Int, height: Int, width: Int) -> Lowering {
        if inputChannels < 16 { return .im2col }
        if min(height, width) < 32 { return .winograd }
        return .winograd4
    }

    /// The lowering of this layer's forward pass (see the static form).
    public func preferredLowering(height: Int, width: Int) -> Lowering {
        Self.preferredLowering(
            inputChannels: inputChannels, outputChannels: outputChannels, height: height, width: width)
    }

    /// The lowering of this layer's backward pass: that of the convolution from its output
    /// channels to its input channels.
    public func preferredBackwardLowering(height: Int, width: Int) -> Lowering {
        Self.preferredLowering(
            inputChannels: outputChannels, outputChannels: inputChannels, height: height, width: width)
    }
}
