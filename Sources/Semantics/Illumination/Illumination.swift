import Foundation
import Tensor

/// The illumination group of the deep semantic space (DESIGN.md §1): the low-frequency lighting
/// of an image, Retinex-style, as a level L in 0…1 that is comparable between the content and the
/// style, encoded as the two channels (L, 1 − L).
///
/// The estimate: luminance, in the log domain (an image is reflectance × lighting, so lighting is
/// additive there), reduced to `workingSide`, cleared of fine texture by a small box mean, then
/// smoothed by the domain transform's recursive edge-preserving filter at a large scale, which
/// flattens shading and texture but stops at the edges of shadows and objects; its soft ranks are
/// the levels, enlarged back (bilinear).
public struct Illumination: Sendable {
    /// The long side, in pixels, at which the lighting is estimated: lighting is low-frequency, and
    /// the large filter costs O(pixels) there, whatever the image's size.
    public var workingSide = 256
    /// The edge-preserving filter's spatial scale as a fraction of the working long side: 1/16 (16
    /// pixels at 256), large enough to span the texture of objects and paint strokes.
    public var radiusFraction: Float = 1.0 / 16
    /// The radius of the box mean that removes fine texture before the edge-preserving filter, in working
    /// pixels (3: a 7-pixel window): without it, the filter would take the texture's own
    /// steps for edges and keep them.
    public var textureRadius = 3
    /// The edge-preserving filter's range scale, in log luminance: 0.3. Neighbours that differ by
    /// much less (what is left of texture after the box mean, smooth shading) are blurred
    /// together; a step of much more (a shadow's edge: a ratio of 2 is a log step of 0.7) stops
    /// the blur. At 0.1 the strokes of the sample paintings stayed, as patches.
    public var rangeSigma: Float = 0.3
    /// Log-luminance differences below about this (0.2: 20% brighter or darker) count as one
    /// level in the soft ranks. Ranks stretch whatever lies between two well-filled levels over
    /// the gap between them: with 0.05 the slight spill of the filter beside a shadow's edge
    /// became a wide band of middle levels.
    public var levelTolerance: Float = 0.2
    /// Added to the luminance before the logarithm, so black stays finite (1/64 of white).
    static let logOffset: Float = 1.0 / 64

    public init() {}

    /// The lighting level of `rgb` (3×H×W, 0…1): 1×H×W in 0…1, high where the image is lit.
    public func estimate(_ rgb: Tensor) -> Tensor {
        precondition(rgb.channels == 3, "illumination of \(rgb.shape): RGB expected")
        let scale = min(1, Double(workingSide) / Double(max(rgb.height, rgb.width)))
        let working = Tensor(
            channels: 3, height: max(1, Int((Double(rgb.height) * scale).rounded())),
            width: max(1, Int((Double(rgb.width) * scale).rounded())))
        Resample.area(rgb, into: working)
        let side = max(working.height, working.width)
        let radius = max(2, Int((Float(side) * radiusFraction).rounded()))
        let smoothed = Illumination.logLuminance(working)
            .boxMean(radius: textureRadius)
            .domainTransformFilter(spatialSigma: Float(radius), rangeSigma: rangeSigma)
        return Illumination.enlarged(
            smoothed.softRanks(tolerance: levelTolerance), height: rgb.height, width: rgb.width)
    }

    /// A lighting image the user gives (a renderer's lighting pass; 1 or 3 channels, 0…1), as
    /// levels comparable with the other image's: its log luminance as soft ranks, not smoothed.
    public func normalise(grey: Tensor) -> Tensor {
        let plane = grey.channels == 3 ? Illumination.logLuminance(grey) : Illumination.logPlane(grey)
        let levels = plane.softRanks(tolerance: levelTolerance)
        return Tensor(Shape(channels: 1, height: grey.height, width: grey.width), values: levels.values)
    }

    /// The level L (1×H×W) as the two channels (L, 1 − L), 2×H×W.
    ///
    /// Matching compares DSS patches by normalised cross-correlation, under which a single smooth
    /// channel is invisible: a near-constant 3×3 patch normalises to the same unit vector whatever
    /// its level. With (L, 1 − L) the level sets the patch's direction, so a lit patch and a
    /// shadowed one really differ (DESIGN.md §1).
    public static func encode(_ level: Tensor) -> Tensor {
        precondition(level.channels == 1, "encode a 1×H×W level, not \(level.shape)")
        let plane = level.height * level.width
        let encoded = Tensor(channels: 2, height: level.height, width: level.width)
        level.withUnsafeBufferPointer { source in
            encoded.withUnsafeMutableBufferPointer { target in
                for index in 0..<plane {
                    target[index] = source[index]
                    target[plane + index] = 1 - source[index]
                }
            }
        }
        return encoded
    }

    /// log(Y + offset) of an RGB tensor, Y the Rec. 709 luminance of its (encoded) values.
    static func logLuminance(_ rgb: Tensor) -> Plane {
        let plane = rgb.height * rgb.width
        let values = rgb.withUnsafeBufferPointer { pixels in
            (0..<plane).map { index in
                let luminance =
                    0.2126 * pixels[index] + 0.7152 * pixels[plane + index] + 0.0722 * pixels[2 * plane + index]
                return log(max(luminance, 0) + logOffset)
            }
        }
        return Plane(width: rgb.width, height: rgb.height, values: values)
    }

    /// log(value + offset) of a one-channel tensor.
    static func logPlane(_ grey: Tensor) -> Plane {
        precondition(grey.channels == 1, "a grey lighting map has 1 or 3 channels, not \(grey.channels)")
        return Plane(width: grey.width, height: grey.height, values: grey.array.map { log(max($0, 0) + logOffset) })
    }

    /// The plane as a 1×height×width tensor, enlarged (bilinear) if it is smaller.
    static func enlarged(_ plane: Plane, height: Int, width: Int) -> Tensor {
        let small = Tensor(Shape(channels: 1, height: plane.height, width: plane.width), values: plane.values)
        if plane.height == height && plane.width == width { return small }
        let full = Tensor(channels: 1, height: height, width: width)
        Resample.bilinear(small, into: full)
        return full
    }
}
