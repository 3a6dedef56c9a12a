/// How far a layer's activations see into the image, and on what grid they sit: what the tile
/// pipeline needs to size its read-only halo and to align its tiles (DESIGN.md §2).
extension VGGArchitecture {
    /// The receptive field of one activation of the layer called `name`, in input pixels (a side
    /// of the square of pixels that can influence it): each 3×3 convolution adds 2 × the current
    /// stride, each 2×2 pooling adds 1 × the stride and doubles it. relu4_2 of VGG-16 sees 76 px.
    /// - Throws: `NetworkError.unknownLayer` for a name that is not a layer.
    public func receptiveField(of name: String) throws -> Int {
        try geometry(upTo: name).field
    }

    /// The distance in input pixels between neighbouring activations of the layer called `name`:
    /// 2 to the number of poolings before it (8 for relu4_x). Tiles whose origins are multiples
    /// of it pool on the same grid as the whole image.
    /// - Throws: `NetworkError.unknownLayer` for a name that is not a layer.
    public func stride(of name: String) throws -> Int {
        try geometry(upTo: name).stride
    }

    private func geometry(upTo name: String) throws -> (field: Int, stride: Int) {
        let position = try position(of: name)
        var field = 1, stride = 1
        for layer in layers[...position] {
            switch layer.kind {
            case .convolution:
                field += 2 * stride
            case .pool:
                field += stride
                stride *= 2
            }
        }
        return (field, stride)
    }
}
