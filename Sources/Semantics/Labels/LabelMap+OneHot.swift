import Tensor

extension LabelMap {
    /// The segmentation group of the deep semantic space: K×H×W, channel k is 1 where the label
    /// is k and 0 elsewhere. Area downsampling then gives each label's coverage of a layer pixel.
    public func oneHot() -> Tensor {
        let encoded = Tensor(channels: count, height: height, width: width)
        let plane = width * height
        encoded.withUnsafeMutableBufferPointer { values in
            for (index, label) in labels.enumerated() { values[Int(label) * plane + index] = 1 }
        }
        return encoded
    }
}
