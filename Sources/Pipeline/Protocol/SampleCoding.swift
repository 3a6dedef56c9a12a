import ImageIO
import Tensor

/// How a tensor's samples travel (protocol version 3), chosen per tensor by what its values are,
/// so that a task carries no more than its data needs and every tensor arrives bit for bit:
///
/// - `labels`: a one-hot segmentation (each pixel exactly one 1 among 0s): one byte per pixel, the
///   index of its 1.
/// - `unorm8`, `unorm16`: every value is q / 255 (or q / 65535) exactly as the image readers make it
///   (`Float(q) * (1 / max)`): a content at its native resolution, a quantised lighting map.
/// - `float32`: anything else (the canvas, the optimiser's state), as IEEE bit patterns.
///
/// The samples are split into byte planes (most significant byte first), each row of each plane
/// replaced by the differences of its bytes (TIFF's floating-point predictor, mod 256), and each
/// plane deflated (zlib) when that is smaller.
enum SampleCoding: UInt8, CaseIterable {
    case float32 = 0
    case unorm8 = 1
    case unorm16 = 2
    case labels = 3

    var bytesPerSample: Int {
        switch self {
        case .float32: 4
        case .unorm16: 2
        case .unorm8, .labels: 1
        }
    }

    /// The largest quantised sample (255 or 65535; 0 for the others).
    private var maximum: UInt32 {
        switch self {
        case .unorm8: 255
        case .unorm16: 65535
        case .float32, .labels: 0
        }
    }

    /// The coding that carries `tensor` exactly in the fewest bytes.
    static func choose(for tensor: Tensor) -> SampleCoding { encode(tensor).coding }

    /// The coding that carries `tensor` exactly in the fewest bytes, and the tensor's samples in it
    /// as unsigned integers of `bytesPerSample` bytes (for labels, one per pixel), found in one pass.
    static func encode(_ tensor: Tensor) -> (coding: SampleCoding, samples: [UInt32]) {
        tensor.withUnsafeBufferPointer { values in
            let channels = tensor.channels
            if isOneHot(values, channels: channels) { return (.labels, labels(of: values, channels: channels)) }
            for coding in [SampleCoding.unorm8, .unorm16] {
                if let samples = coding.quantisedSamples(of: values) { return (coding, samples) }
            }
            return (.float32, UnsafeRawBufferPointer(values).withMemoryRebound(to: UInt32.self) { Array($0) })
        }
    }

    private static func labels(of values: UnsafeBufferPointer<Float>, channels: Int) -> [UInt32] {
        let plane = values.count / channels
        var labels = [UInt32](repeating: 0, count: plane)
        for channel in 0..<channels {
            for pixel in 0..<plane where values[channel * plane + pixel] == 1 { labels[pixel] = UInt32(channel) }
        }
        return labels
    }

    /// Every value's quantised sample, or nil as soon as one does not come back bit for bit.
    private func quantisedSamples(of values: UnsafeBufferPointer<Float>) -> [UInt32]? {
        var exact = true
        let samples = [UInt32](unsafeUninitializedCapacity: values.count) { out, initialised in
            for index in values.indices {
                guard let q = quantised(values[index]) else {
                    exact = false
                    break
                }
                out[index] = q
            }
            // UInt32 is trivial: the array is dropped when inexact, its tail never read.
            initialised = values.count
        }
        return exact ? samples : nil
    }

    /// Whether every pixel of the channel-major `values` has one channel at exactly 1 and the
    /// others at exactly +0 (bit patterns: -0 would not come back).
    private static func isOneHot(_ values: UnsafeBufferPointer<Float>, channels: Int) -> Bool {
        guard channels >= 2, channels <= 256, !values.isEmpty else { return false }
        let plane = values.count / channels, one = Float(1).bitPattern
        for pixel in 0..<plane {
            var ones = 0
            for channel in 0..<channels {
                let bits = values[channel * plane + pixel].bitPattern
                if bits == one { ones += 1 } else if bits != 0 { return false }
            }
            if ones != 1 { return false }
        }
        return true
    }

    /// The quantised sample of `value` under this (unorm) coding, or nil when it does not come back
    /// bit for bit.
    @inline(__always)
    private func quantised(_ value: Float) -> UInt32? {
        let scaled = value * Float(maximum)
        guard scaled >= 0, scaled <= Float(maximum) else { return nil }
        // Truncating scaled + 0.5 rounds as well as `rounded()` for the check below, without a
        // libm call per sample; the check catches every value that does not come back.
        let q = UInt32(scaled + 0.5)
        return dequantised(q).bitPattern == value.bitPattern ? q : nil
    }

    @inline(__always)
    private func dequantised(_ q: UInt32) -> Float { Float(q) * (1 / Float(maximum)) }

    /// Fills `tensor` from its samples; nil when done, else why the samples do not fit the coding.
    func fill(_ tensor: Tensor, from samples: [UInt32]) -> String? {
        tensor.withUnsafeMutableBufferPointer { values in
            switch self {
            case .float32:
                for index in samples.indices { values[index] = Float(bitPattern: samples[index]) }
            case .unorm8, .unorm16:
                for index in samples.indices { values[index] = dequantised(samples[index]) }
            case .labels:
                let plane = samples.count
                values.update(repeating: 0)
                for pixel in 0..<plane {
                    let label = Int(samples[pixel])
                    guard label < tensor.channels else { return "label \(label) of a \(tensor.channels)-channel map" }
                    values[label * plane + pixel] = 1
                }
            }
            return nil
        }
    }
}

/// Byte planes with row differences: the reversible transform that lets deflate see the runs in
/// smooth or quantised data (the high bytes of neighbouring samples are mostly equal).
enum BytePlanes {
    /// The planes of `samples` (`width` samples a row), most significant byte first, each row
    /// replaced by its differences from the byte to its left.
    static func split(_ samples: [UInt32], bytesPerSample: Int, width: Int) -> [UInt8] {
        let count = samples.count
        var bytes = [UInt8](repeating: 0, count: count * bytesPerSample)
        bytes.withUnsafeMutableBufferPointer { out in
            samples.withUnsafeBufferPointer { input in
                for plane in 0..<bytesPerSample {
                    let shift = UInt32(8 * (bytesPerSample - 1 - plane)), base = plane * count
                    for start in stride(from: 0, to: count, by: width) {
                        var previous: UInt8 = 0
                        for index in start..<min(start + width, count) {
                            let byte = UInt8(truncatingIfNeeded: input[index] >> shift)
                            out[base + index] = byte &- previous
                            previous = byte
                        }
                    }
                }
            }
        }
        return bytes
    }

    /// The samples that `split` made `bytes` from.
    static func join(_ bytes: [UInt8], bytesPerSample: Int, width: Int) -> [UInt32] {
        let count = bytes.count / bytesPerSample
        var samples = [UInt32](repeating: 0, count: count)
        samples.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                for plane in 0..<bytesPerSample {
                    let shift = UInt32(8 * (bytesPerSample - 1 - plane)), base = plane * count
                    for start in stride(from: 0, to: count, by: width) {
                        var previous: UInt8 = 0
                        for index in start..<min(start + width, count) {
                            previous = previous &+ input[base + index]
                            out[index] |= UInt32(previous) << shift
                        }
                    }
                }
            }
        }
        return samples
    }
}

extension SampleCoding {
    /// Whether byte plane `plane` is worth deflating: not the two low planes of a Float32, which
    /// hold the mantissa's noise (deflate spends most of a task's encoding time on them for a
    /// few per cent).
    func deflates(plane: Int) -> Bool { self != .float32 || plane < 2 }
}

extension ByteWriter {
    /// A tensor in its `SampleCoding`: dimensions, coding, then each byte plane as a flag (deflated
    /// or not), its length and its bytes.
    mutating func append(_ tensor: Tensor) {
        let (coding, samples) = SampleCoding.encode(tensor)
        append(count: tensor.channels)
        append(count: tensor.height)
        append(count: tensor.width)
        append(coding.rawValue)
        let planes = BytePlanes.split(samples, bytesPerSample: coding.bytesPerSample, width: max(1, tensor.width))
        let size = planes.count / coding.bytesPerSample
        for plane in 0..<coding.bytesPerSample {
            planes.withUnsafeBytes { all in
                let bytes = UnsafeRawBufferPointer(rebasing: all[plane * size..<(plane + 1) * size])
                let deflated = coding.deflates(plane: plane) && Self.deflationPays(bytes)
                    ? Zlib.compress(bytes).flatMap { $0.count < size ? $0 : nil } : nil
                append(deflated != nil)
                append(count: deflated?.count ?? size)
                if let deflated { append(raw: deflated) } else { append(raw: bytes) }
            }
        }
    }
}

extension ByteWriter {
    /// Whether deflating `plane` is likely to save a tenth of it, judged on its first 64 KiB: noise
    /// (random pixels, a Float32's low mantissa) does not deflate, and trying costs as much as
    /// succeeding.
    static func deflationPays(_ plane: UnsafeRawBufferPointer) -> Bool {
        let probe = 1 << 16
        guard plane.count > 2 * probe else { return true }
        let sample = UnsafeRawBufferPointer(rebasing: plane[..<probe])
        return (Zlib.compress(sample)?.count ?? probe) < probe * 9 / 10
    }
}

extension WireReader {
    /// A tensor that `ByteWriter.append(_: Tensor)` wrote. Every size is checked before anything is
    /// allocated: the dimensions against `largestDimension`, their product against the bytes the
    /// tensor takes in memory against the message's `decodedBudget`, and each inflated plane
    /// against its size.
    mutating func readTensor() throws(ProtocolError) -> Tensor {
        let channels = Int(try read(UInt32.self)), height = Int(try read(UInt32.self))
        let width = Int(try read(UInt32.self))
        let shape = "\(channels)×\(height)×\(width)"
        guard max(channels, height, width) <= Self.largestDimension else {
            throw .malformed("a \(shape) tensor (a dimension above \(Self.largestDimension))")
        }
        let (plane, planeOverflow) = height.multipliedReportingOverflow(by: width)
        let (count, overflow) = plane.multipliedReportingOverflow(by: channels)
        guard !planeOverflow, !overflow else { throw .malformed("a \(shape) tensor") }
        try spend(floats: count)
        let type = try read(UInt8.self)
        guard let coding = SampleCoding(rawValue: type) else { throw .malformed("a tensor of sample coding \(type)") }
        if coding == .labels, !(2...256).contains(channels) {
            throw .malformed("a \(shape) label map (2 to 256 channels)")
        }
        let size = coding == .labels ? plane : count
        var planes: [UInt8] = []
        planes.reserveCapacity(size * coding.bytesPerSample)
        for index in 0..<coding.bytesPerSample {
            let deflated = try readBool()
            let length = try readCount(elementSize: 1)
            let body = try take(length)
            if deflated {
                guard let inflated = body.withUnsafeBytes({ Zlib.decompress($0, count: size) }) else {
                    throw .malformed("a \(shape) tensor whose byte plane \(index) does not inflate to \(size) bytes")
                }
                planes += inflated
            } else {
                guard length == size else {
                    throw .malformed("a \(shape) \(coding) tensor with a byte plane of \(length) bytes, not \(size)")
                }
                planes += body
            }
        }
        let tensor = Tensor(channels: channels, height: height, width: width)
        let values = BytePlanes.join(planes, bytesPerSample: coding.bytesPerSample, width: max(1, width))
        if let problem = coding.fill(tensor, from: values) { throw .malformed("a \(shape) tensor: \(problem)") }
        return tensor
    }
}
