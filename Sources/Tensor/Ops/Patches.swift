/// 3×3 patches of a feature map, as the rows of a matrix: the units that the patch-based
/// (CNNMRF / deep semantic) loss matches between the image being made and the style.
///
/// Patches are taken at every position where the whole 3×3 window lies inside the map (no
/// padding, as in CNNMRF), so a C×H×W map gives P = (H−2)·(W−2) patches of length C·9.
/// Patch p = y·(W−2) + x has its top-left corner at (y, x); element (c·9 + ky·3 + kx) of a patch
/// is map[c][y + ky][x + kx].
public enum Patches {
    /// The shape of the patch matrix of a map: 1 × P × (C·9).
    public static func shape(for map: Shape) -> Shape {
        Shape(channels: 1, height: max(map.height - 2, 0) * max(map.width - 2, 0), width: map.channels * 9)
    }

    public static func extract(_ map: Tensor, into patches: Tensor) {
        precondition(patches.shape == shape(for: map.shape), "Patches output \(patches.shape) for \(map.shape)")
        let (h, w, channels) = (map.height, map.width, map.channels)
        let columns = w - 2, length = channels * 9
        let src = SharedPointer(map.storage), dst = SharedPointer(patches.storage)
        Engine.parallelChunks(max(h - 2, 0)) { rows in
            for y in rows {
                for x in 0..<columns {
                    let patch = dst.base + (y * columns + x) * length
                    for c in 0..<channels {
                        let corner = src.base + (c * h + y) * w + x
                        for ky in 0..<3 {
                            for kx in 0..<3 { patch[c * 9 + ky * 3 + kx] = corner[ky * w + kx] }
                        }
                    }
                }
            }
        }
    }

    /// mapGradient = the adjoint of `extract`: each patch's gradient is added back onto the nine
    /// pixels it was read from (overlapping patches sum).
    public static func backward(patchesGradient: Tensor, into mapGradient: Tensor) {
        precondition(patchesGradient.shape == shape(for: mapGradient.shape),
                     "Patches backward \(patchesGradient.shape) → \(mapGradient.shape)")
        let (h, w, channels) = (mapGradient.height, mapGradient.width, mapGradient.channels)
        let columns = w - 2, length = channels * 9
        let src = SharedPointer(patchesGradient.storage), dst = SharedPointer(mapGradient.storage)
        // Parallel over channels: each channel's pixels receive only from that channel's slice of
        // every patch, so threads never write the same pixel.
        Engine.parallelChunks(channels) { channelRange in
            for c in channelRange {
                let plane = dst.base + c * h * w
                plane.update(repeating: 0, count: h * w)
                for y in 0..<max(h - 2, 0) {
                    for x in 0..<columns {
                        let patch = src.base + (y * columns + x) * length + c * 9
                        let corner = plane + y * w + x
                        for ky in 0..<3 {
                            for kx in 0..<3 { corner[ky * w + kx] += patch[ky * 3 + kx] }
                        }
                    }
                }
            }
        }
    }
}
