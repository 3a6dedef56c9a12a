import Foundation
import Tensor

/// The points that the automatic segmentation clusters: one per pixel of each image at its
/// working size, each the concatenation of three groups (colour in CIELAB, position, and deep
/// features when given).
///
/// Each group is balanced so that its total variance over all the points is its weight squared:
/// 256 feature channels must not drown 3 colour channels. Colour and features are first centred
/// per image (their mean over that image subtracted), so that a global difference between the
/// images (a painting's palette against a photo's, or their different mean activations) does not
/// split every cluster into a content half and a style half: clustering compares regions within
/// each image, which is what lets label k mean the same thing in both.
struct ClusteringPoints {
    /// `count` rows of `dimension` floats.
    var values: [Float]
    let count: Int
    let dimension: Int
    /// The working size of each image, and where its rows start.
    let sizes: [(height: Int, width: Int)]
    let offsets: [Int]

    init(
        images: [Tensor], features: [Tensor]?, workingSide: Int,
        weights: AutomaticSegmentation.GroupWeights, featureRadius: Int
    ) {
        sizes = images.map { image in
            let scale = min(1, Double(workingSide) / Double(max(image.height, image.width)))
            return (
                max(1, Int((Double(image.height) * scale).rounded())),
                max(1, Int((Double(image.width) * scale).rounded()))
            )
        }
        var offsets: [Int] = []
        var total = 0
        for size in sizes {
            offsets.append(total)
            total += size.height * size.width
        }
        self.offsets = offsets
        count = total
        var groups: [(planes: [[Float]], weight: Float, centred: Bool)] = []
        let colour = zip(images, sizes).map { ClusteringPoints.lab(of: ClusteringPoints.resized($0, to: $1)) }
        groups.append((ClusteringPoints.joined(colour), weights.colour, true))
        groups.append((ClusteringPoints.positions(sizes), weights.position, false))
        if let features, weights.features > 0 {
            let planes = zip(features, sizes).map { feature, size in
                ClusteringPoints.planes(of: ClusteringPoints.resized(feature, to: size)).map {
                    Plane(width: size.width, height: size.height, values: $0).boxMean(radius: featureRadius).values
                }
            }
            groups.append((ClusteringPoints.joined(planes), weights.features, true))
        }
        groups = groups.filter { $0.weight > 0 }
        dimension = groups.reduce(0) { $0 + $1.planes.count }
        values = [Float](repeating: 0, count: count * dimension)
        var column = 0
        for group in groups {
            var planes = group.planes
            if group.centred { ClusteringPoints.centre(&planes, offsets: offsets, count: count) }
            let scale = ClusteringPoints.balancingScale(planes, weight: group.weight)
            for plane in planes {
                for i in 0..<count { values[i * dimension + column] = plane[i] * scale }
                column += 1
            }
        }
    }

    /// The rows of image `index`'s pixels.
    func range(ofImage index: Int) -> Range<Int> {
        offsets[index]..<offsets[index] + sizes[index].height * sizes[index].width
    }

    /// `tensor` at `size`: area-averaged when it shrinks, bilinear when it grows.
    static func resized(_ tensor: Tensor, to size: (height: Int, width: Int)) -> Tensor {
        if tensor.height == size.height && tensor.width == size.width { return tensor }
        let output = Tensor(channels: tensor.channels, height: size.height, width: size.width)
        let shrinks = size.height * size.width < tensor.height * tensor.width
        Resample.forward(tensor, into: output, kind: shrinks ? .area : .bilinear)
        return output
    }

    static func planes(of tensor: Tensor) -> [[Float]] {
        let plane = tensor.height * tensor.width
        let values = tensor.array
        return (0..<tensor.channels).map { Array(values[$0 * plane..<($0 + 1) * plane]) }
    }

    /// Per channel, the images' planes one after the other.
    static func joined(_ perImage: [[[Float]]]) -> [[Float]] {
        (0..<perImage[0].count).map { channel in perImage.flatMap { $0[channel] } }
    }

    /// x and y of each pixel centre in −½…½ of its image, so positions compare across sizes.
    static func positions(_ sizes: [(height: Int, width: Int)]) -> [[Float]] {
        var xs: [Float] = [], ys: [Float] = []
        for (height, width) in sizes {
            for y in 0..<height {
                for x in 0..<width {
                    xs.append((Float(x) + 0.5) / Float(width) - 0.5)
                    ys.append((Float(y) + 0.5) / Float(height) - 0.5)
                }
            }
        }
        return [xs, ys]
    }

    /// Subtracts from each plane its mean over each image.
    static func centre(_ planes: inout [[Float]], offsets: [Int], count: Int) {
        let bounds = offsets + [count]
        for p in planes.indices {
            for image in 0..<offsets.count {
                let range = bounds[image]..<bounds[image + 1]
                let mean = Float(range.reduce(0.0) { $0 + Double(planes[p][$1]) } / Double(max(range.count, 1)))
                for i in range { planes[p][i] -= mean }
            }
        }
    }

    /// The factor that makes the group's total variance (mean squared norm, taken about the
    /// group's mean) equal to weight²; 0 for a group with no variance at all.
    static func balancingScale(_ planes: [[Float]], weight: Float) -> Float {
        var variance = 0.0
        for plane in planes {
            let mean = plane.reduce(0.0) { $0 + Double($1) } / Double(plane.count)
            variance += plane.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(plane.count)
        }
        return variance > 1e-12 ? weight / Float(variance.squareRoot()) : 0
    }

    /// CIELAB (D65) of sRGB values in 0…1: distances there follow perceived colour differences.
    static func lab(of rgb: Tensor) -> [[Float]] {
        let plane = rgb.height * rgb.width
        let values = rgb.array
        var result = [[Float]](repeating: [Float](repeating: 0, count: plane), count: 3)
        func linear(_ v: Float) -> Float { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        func f(_ t: Float) -> Float { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
        for i in 0..<plane {
            let r = linear(values[i]), g = linear(values[plane + i]), b = linear(values[2 * plane + i])
            let x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047)
            let y = f(0.2126 * r + 0.7152 * g + 0.0722 * b)
            let z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
            result[0][i] = 116 * y - 16
            result[1][i] = 500 * (x - y)
            result[2][i] = 200 * (y - z)
        }
        return result
    }
}
