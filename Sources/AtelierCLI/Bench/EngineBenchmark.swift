import Foundation
import Tensor

/// `atelier bench engine`: convolution throughput per VGG-16 layer, and a whole forward+backward
/// pass to relu4_2, each as a ratio of the SGEMM rate measured in the same process.
struct EngineBenchmark {
    struct LayerResult: Codable {
        var name: String
        var size: Int
        var lowering: String
        var forward_gflops: Double
        var backward_gflops: Double
        /// Rate over `sgemm_gflops`, the process's SGEMM rate.
        var forward_ratio: Double
        var backward_ratio: Double
        /// Rate over the SGEMM rate timed alternately with this layer (see `Timing.measurePaired`):
        /// the steadier figure on a shared machine, whose speed drifts during a run.
        var forward_paired_ratio: Double
        var backward_paired_ratio: Double
        /// The SGEMM rates timed alternately with the forward and the backward runs.
        var forward_sgemm_gflops: Double
        var backward_sgemm_gflops: Double
        var forward_seconds: [Double]
        var backward_seconds: [Double]
    }

    struct LayerChoice: Codable {
        var name: String
        var size: Int
        var forward: String
        var backward: String
        var fastest_forward: String
        var fastest_backward: String
    }

    struct Report: Codable {
        var threads: Int
        /// OpenBLAS's kernel (`openblas_get_corename`) and the CPU's vector extensions.
        var blas_kernel: String
        var cpu_vector_extensions: [String]
        var repeats: Int
        var sgemm_size: Int
        var sgemm_gflops: Double
        var sgemm_gflops_min: Double
        var sgemm_gflops_max: Double
        var layers: [LayerResult]
        /// Per layer and size: the lowering the engine picks by default for the forward pass and
        /// for the backward pass (the transposed convolution), and the fastest measured here.
        var layer_choice: [LayerChoice]
        /// The pass under the first of the lowerings (by default, the engine's per-layer choice).
        var vgg16_relu4_2_seconds: Double
        var vgg16_relu4_2_seconds_min: Double
        var vgg16_relu4_2_seconds_max: Double
        /// Median seconds of the pass per lowering forced on every layer, and under `default`
        /// (the per-layer choice), all timed alternately in one process.
        var vgg16_relu4_2_seconds_by_lowering: [String: Double]
        /// The same as [min, median, max].
        var vgg16_relu4_2_seconds_range_by_lowering: [String: [Double]]
        var floor_seconds: Double
        var pass_over_floor: Double
        /// The floor and the ratio with the SGEMM rate timed alternately with the pass.
        var paired_floor_seconds: Double
        var pass_over_paired_floor: Double
    }

    /// VGG-16's convolutions up to conv5_3: name, input channels, output channels, and the
    /// pyramid depth (how many 2×2 poolings come before it).
    static let layers: [(name: String, input: Int, output: Int, depth: Int)] = [
        ("conv1_1", 3, 64, 0), ("conv1_2", 64, 64, 0),
        ("conv2_1", 64, 128, 1), ("conv2_2", 128, 128, 1),
        ("conv3_1", 128, 256, 2), ("conv3_2", 256, 256, 2), ("conv3_3", 256, 256, 2),
        ("conv4_1", 256, 512, 3), ("conv4_2", 512, 512, 3), ("conv4_3", 512, 512, 3),
        ("conv5_1", 512, 512, 4), ("conv5_2", 512, 512, 4), ("conv5_3", 512, 512, 4),
    ]

    var repeats: Int
    var sizes: [Int]
    /// The lowerings to time; nil is the engine's default per-layer choice.
    var lowerings: [Conv3x3.Lowering?]
    var passSize: Int
    /// Side of the square SGEMM that sets the reference rate (2048 in reports).
    var sgemmSize = 2048
    var log: (String) -> Void

    func run() -> Report {
        var random = SystemRandomNumberGenerator()
        let reference = ReferenceSGEMM(size: sgemmSize)
        let sgemm = reference.measure(repeats: repeats)
        let sgemmWork = reference.run
        let sgemmFlops = reference.flops
        let sgemmRate = sgemmFlops / sgemm.median / 1e9
        log(String(format: "SGEMM %d³: %.1f GFLOP/s (median of %d)", sgemmSize, sgemmRate, max(repeats, 5)))

        var results: [LayerResult] = []
        var choices: [LayerChoice] = []
        let workspace = Workspace()
        for size in sizes {
            for layer in Self.layers {
                let side = size >> layer.depth
                let conv = Conv3x3(
                    outputChannels: layer.output, inputChannels: layer.input,
                    weight: (0..<(layer.output * layer.input * 9)).map { _ in Float.random(in: -0.05...0.05, using: &random) },
                    bias: [Float](repeating: 0.01, count: layer.output))
                let input = Tensor(channels: layer.input, height: side, width: side)
                input.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = Float.random(in: 0...1, using: &random) } }
                let output = Tensor(channels: layer.output, height: side, width: side)
                let gradient = Tensor(input.shape)
                // Every lowering is timed alternately with the others and with the SGEMM.
                let (forward, forwardReference) = Self.measureAlternately(
                    repeats: repeats, lowerings: lowerings, reference: sgemmWork) {
                    conv.forward(input, into: output, workspace: workspace)
                }
                let (backward, backwardReference) = Self.measureAlternately(
                    repeats: repeats, lowerings: lowerings, reference: sgemmWork) {
                    conv.backward(outputGradient: output, into: gradient, workspace: workspace)
                }
                let flops = conv.flops(height: side, width: side) / 1e9
                let referenceRate = { (timing: Timing) in sgemmFlops / timing.median / 1e9 }
                for (index, lowering) in lowerings.enumerated() {
                    let (forward, backward) = (forward[index], backward[index])
                    let result = LayerResult(
                        name: layer.name, size: size, lowering: Self.name(of: lowering),
                        forward_gflops: flops / forward.median, backward_gflops: flops / backward.median,
                        forward_ratio: flops / forward.median / sgemmRate,
                        backward_ratio: flops / backward.median / sgemmRate,
                        forward_paired_ratio: flops / forward.median / referenceRate(forwardReference),
                        backward_paired_ratio: flops / backward.median / referenceRate(backwardReference),
                        forward_sgemm_gflops: referenceRate(forwardReference),
                        backward_sgemm_gflops: referenceRate(backwardReference),
                        forward_seconds: [forward.min, forward.median, forward.max],
                        backward_seconds: [backward.min, backward.median, backward.max])
                    log(String(format: "%@ %@ @%d (%d²): forward %.1f GFLOP/s (%.2f), backward %.1f GFLOP/s (%.2f)",
                               layer.name, Self.name(of: lowering), size, side, result.forward_gflops, result.forward_ratio,
                               result.backward_gflops, result.backward_ratio))
                    results.append(result)
                }
                let fastest = { (timings: [Timing]) in
                    Self.name(of: lowerings[timings.indices.min { timings[$0].median < timings[$1].median }!])
                }
                choices.append(LayerChoice(
                    name: layer.name, size: size,
                    forward: conv.preferredLowering(height: side, width: side).rawValue,
                    backward: conv.preferredBackwardLowering(height: side, width: side).rawValue,
                    fastest_forward: fastest(forward), fastest_backward: fastest(backward)))
            }
        }

        let (passes, passReference, passFlops) = measurePassToRelu4_2(
            size: passSize, lowerings: lowerings, reference: sgemmWork)
        let pass = passes[0]
        var byLowering: [String: Double] = [:], rangeByLowering: [String: [Double]] = [:]
        for (lowering, timing) in zip(lowerings, passes) {
            let name = Self.name(of: lowering)
            byLowering[name] = timing.median
            rangeByLowering[name] = [timing.min, timing.median, timing.max]
            log(String(format: "VGG-16 pass to relu4_2 at %d², %@: %.3f s (min %.3f, max %.3f)",
                       passSize, name, timing.median, timing.min, timing.max))
        }
        let floor = passFlops / 1e9 / sgemmRate
        // The paired floor uses the SGEMM rate timed alternately with the pass (same machine load).
        let pairedFloor = passFlops / 1e9 / (sgemmFlops / passReference.median / 1e9)
        return Report(
            threads: Engine.threads, blas_kernel: BLASKernel.current.core,
            cpu_vector_extensions: BLASKernel.current.vectorExtensions, repeats: repeats, sgemm_size: sgemmSize,
            sgemm_gflops: sgemmRate,
            sgemm_gflops_min: sgemmFlops / sgemm.max / 1e9,
            sgemm_gflops_max: sgemmFlops / sgemm.min / 1e9,
            layers: results, layer_choice: choices,
            vgg16_relu4_2_seconds: pass.median, vgg16_relu4_2_seconds_min: pass.min,
            vgg16_relu4_2_seconds_max: pass.max,
            vgg16_relu4_2_seconds_by_lowering: byLowering,
            vgg16_relu4_2_seconds_range_by_lowering: rangeByLowering,
            floor_seconds: floor, pass_over_floor: pass.median / floor,
            paired_floor_seconds: pairedFloor, pass_over_paired_floor: pass.median / pairedFloor)
    }

    /// The name of the engine's own per-layer choice among the lowerings.
    static let defaultChoiceName = "default"

    static func name(of lowering: Conv3x3.Lowering?) -> String { lowering?.rawValue ?? defaultChoiceName }

    /// Times `work` under each lowering (nil: the engine's per-layer choice) and a `reference`
    /// alternately (reference, then each lowering in turn, repeated), so that all see the same
    /// machine load. Returns one timing per lowering and the reference's.
    static func measureAlternately(
        repeats: Int, lowerings: [Conv3x3.Lowering?], reference: () -> Void, _ work: () -> Void
    ) -> ([Timing], Timing) {
        let saved = Conv3x3.lowering
        defer { Conv3x3.lowering = saved }
        reference()
        for lowering in lowerings {
            Conv3x3.lowering = lowering
            work()
        }
        var seconds = [[Double]](repeating: [], count: lowerings.count), referenceSeconds: [Double] = []
        for _ in 0..<repeats {
            referenceSeconds.append(Timing.clock(reference))
            for (index, lowering) in lowerings.enumerated() {
                Conv3x3.lowering = lowering
                seconds[index].append(Timing.clock(work))
            }
        }
        return (seconds.map(Timing.init(seconds:)), Timing(seconds: referenceSeconds))
    }

    /// One forward pass from the image to relu4_2 and one backward pass from relu4_2 to the
    /// image, with planned buffers; returns its timing and its convolution FLOPs.
    private func measurePassToRelu4_2(
        size: Int, lowerings: [Conv3x3.Lowering?], reference: () -> Void
    ) -> ([Timing], Timing, Double) {
        var random = SystemRandomNumberGenerator()
        let chain = Self.layers.prefix(9)  // conv1_1 … conv4_2
        let convs = chain.map { layer in
            Conv3x3(
                outputChannels: layer.output, inputChannels: layer.input,
                weight: (0..<(layer.output * layer.input * 9)).map { _ in Float.random(in: -0.05...0.05, using: &random) },
                bias: [Float](repeating: 0.01, count: layer.output))
        }
        let image = Tensor(channels: 3, height: size, width: size)
        image.fill(0.5)
        // Activations after each conv+ReLU, and the pooled inputs of the next block.
        var activations: [Tensor] = []
        var inputs: [Tensor] = [image]
        for (index, layer) in chain.enumerated() {
            let side = size >> layer.depth
            activations.append(Tensor(channels: layer.output, height: side, width: side))
            if index + 1 < chain.count {
                let next = chain[chain.index(chain.startIndex, offsetBy: index + 1)]
                inputs.append(next.depth > layer.depth
                    ? Tensor(Pool2x2.outputShape(for: activations[index].shape)) : activations[index])
            }
        }
        let gradients = activations.map { Tensor($0.shape) }
        let pooledGradients = inputs.map { Tensor($0.shape) }
        let workspace = Workspace()
        var flops = 0.0
        for (conv, activation) in zip(convs, activations) { flops += 2 * conv.flops(height: activation.height, width: activation.width) }

        let (timings, referenceTiming) = Self.measureAlternately(
            repeats: max(3, repeats / 2), lowerings: lowerings, reference: reference) {
            for index in convs.indices {
                convs[index].forward(inputs[index], into: activations[index], workspace: workspace)
                ReLU.forward(activations[index], into: activations[index])
                if index + 1 < convs.count && inputs[index + 1] !== activations[index] {
                    Pool2x2.forward(activations[index], into: inputs[index + 1], kind: .max)
                }
            }
            gradients[convs.count - 1].fill(1)
            for index in convs.indices.reversed() {
                let upstream = gradients[index]
                ReLU.backward(output: activations[index], outputGradient: upstream, into: upstream)
                let target = index == 0 ? pooledGradients[0] : pooledGradients[index]
                convs[index].backward(outputGradient: upstream, into: target, workspace: workspace)
                if index > 0 {
                    if inputs[index] !== activations[index - 1] {
                        Pool2x2.backward(input: activations[index - 1], outputGradient: target,
                                         into: gradients[index - 1], kind: .max)
                    } else {
                        gradients[index - 1].copy(from: target)
                    }
                }
            }
        }
        return (timings, referenceTiming, flops)
    }
}
