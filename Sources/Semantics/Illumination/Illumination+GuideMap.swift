import ImageIO
import Tensor

extension Illumination {
    /// The level of a user's lighting map at an image's `size`: normalised at the map's own
    /// resolution, then resampled (bilinear) if the sizes differ.
    public func level(of map: GuideMap, size: PixelSize) -> Tensor {
        let level = normalise(grey: map.raster.rgbTensor())
        if level.width == size.width && level.height == size.height { return level }
        let resized = Tensor(channels: 1, height: size.height, width: size.width)
        Resample.forward(level, into: resized, kind: .bilinear)
        return resized
    }
}
