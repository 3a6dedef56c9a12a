extension Conv3x3 {
    /// The lowering a convolution from `inputChannels` to `outputChannels` at `height`×`width`
    /// uses when the process does not force one (`Conv3x3.lowering` nil): a fixed table from
    /// `atelier bench engine --lowerings im2col shifted winograd winograd4` (each VGG-16 layer,
    /// forward and backward, at 256² and 512², timed alternately in one process).
    ///
    /// - Few input channels (conv1_1's forward, K = 3): the transformed GEMMs are all overhead;
    ///   im2col's K = 27 is already small, and it measured 2–4× faster.
    /// - Images narrower than 16 pixels (conv4 and conv5 of small levels): too few tiles to pay
    ///   for transforming the kernels on every call (Cout·Cin of them, 262 144 at conv4_2); a
    ///   64×48 stylisation ran 3–4× slower with Winograd forced on every layer.
    /// - Images narrower than 32 pixels (conv5 at 256²): F(4×4, 3×3) fills at most half of its
    ///   eight SIMD lanes per row of tiles, and F(2×2, 3×3) measured faster.
    /// - More than 256·256 kernels (conv4_1, conv4_2 …): F(2×2, 3×3), whose transformed kernels
    ///   (made per call, 16 per kernel against F(4×4)'s 36) keep the peak memory of a 512² pass
    ///   below im2col's, which holds a flipped copy of the weights for the backward pass.
    /// - Everything else: F(4×4, 3×3), 1.3–2.7× faster than im2col per layer, with relative errors
    ///   against Float64 of a few 10⁻⁶ (WinogradTests), far inside the optimisation's own noise.
    public static func preferredLowering(inputChannels: Int, outputChannels: Int, height: Int, width: Int) -> Lowering {
        if inputChannels < 16 || min(height, width) < 16 { return .im2col }
        if min(height, width) < 32 || inputChannels * outputChannels > 256 * 256 { return .winograd }
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
