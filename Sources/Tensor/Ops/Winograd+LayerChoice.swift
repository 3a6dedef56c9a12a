extension Conv3x3 {
    /// The lowering this layer's forward uses at `height`×`width` when the process does not force
    /// one (`Conv3x3.lowering` nil).
    public func preferredLowering(height: Int, width: Int) -> Lowering {
        inputChannels >= 64 && outputChannels >= 64 ? .winograd : .im2col
    }

    /// The lowering of this layer's backward pass (its transposed convolution's forward).
    public func preferredBackwardLowering(height: Int, width: Int) -> Lowering {
        transposed.preferredLowering(height: height, width: width)
    }
}
