import Foundation
import Network
import Tensor
import TestSupport
import XCTest

final class VGGWeightsTests: XCTestCase {
    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vgg-\(UUID()).safetensors").path
    }

    func testTorchvisionNamesFollowTheLayerTable() {
        let indices = VGGArchitecture.vgg16.layers.compactMap { layer -> Int? in
            if case .convolution(_, let index, _, _) = layer.kind { return index }
            return nil
        }
        XCTAssertEqual(indices, [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28])
        let names19 = VGGArchitecture.vgg19.layerNames
        XCTAssertEqual(names19.filter { $0.hasPrefix("relu") }.count, 16)
        XCTAssertEqual(Array(names19.suffix(5)), ["relu5_1", "relu5_2", "relu5_3", "relu5_4", "pool5"])
    }

    func testActivationShapesHalveAtEachPool() throws {
        let vgg19 = VGGArchitecture.vgg19
        XCTAssertEqual(
            try vgg19.activationShape(of: "relu4_2", height: 512, width: 300),
            Shape(channels: 512, height: 64, width: 37))
        XCTAssertEqual(
            try vgg19.activationShape(of: "pool1", height: 7, width: 9), Shape(channels: 64, height: 3, width: 4))
        XCTAssertThrowsError(try vgg19.activationShape(of: "conv1_1", height: 8, width: 8))
    }

    func testWeightsRoundTripThroughSafeTensors() throws {
        let weights = RandomVGG.weights(RandomVGG.narrow16, preprocessing: .caffe, seed: 1)
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (tensors, metadata) = weights.safeTensors
        try SafeTensorsFile.write(tensors, metadata: metadata, to: path)
        let loaded = try VGGWeights(contentsOf: path)
        XCTAssertEqual(loaded.architecture, weights.architecture)
        XCTAssertEqual(loaded.preprocessing, .caffe)
        XCTAssertEqual(loaded.convolutions.map(\.weight), weights.convolutions.map(\.weight))
        XCTAssertEqual(loaded.convolutions.map(\.bias), weights.convolutions.map(\.bias))
    }

    /// A user's torchvision VGG-19 export: no metadata (so torch preprocessing), with classifier
    /// tensors that are ignored.
    func testTorchvisionVGG19WithoutMetadataLoadsWithTorchPreprocessing() throws {
        let weights = RandomVGG.weights(RandomVGG.narrow19, preprocessing: .torch, seed: 2)
        let classifier = SafeTensorsFile.TensorToWrite(
            name: "classifier.0.weight", shape: [2, 6], values: Array(repeating: 0, count: 12))
        let data = SafeTensorsFile.encode(weights.safeTensors.tensors + [classifier])
        let loaded = try VGGWeights(file: SafeTensorsFile(bytes: data, path: "vgg19.safetensors"))
        XCTAssertEqual(loaded.architecture.name, "vgg19")
        XCTAssertEqual(loaded.architecture.blocks, RandomVGG.narrow19.blocks)
        XCTAssertEqual(loaded.preprocessing, .torch)
    }

    func testIncompatibleFilesNameTheFileAndTheTensor() throws {
        let weights = RandomVGG.weights(RandomVGG.narrow16, preprocessing: .torch, seed: 3)
        let tensors = weights.safeTensors.tensors
        func load(_ tensors: [SafeTensorsFile.TensorToWrite], _ metadata: [String: String] = [:]) throws -> VGGWeights {
            try VGGWeights(
                file: SafeTensorsFile(
                    bytes: SafeTensorsFile.encode(tensors, metadata: metadata), path: "bad.safetensors"))
        }
        XCTAssertThrowsError(try load(tensors.filter { $0.name != "features.5.bias" })) {
            XCTAssertEqual(
                "\($0)", "bad.safetensors: not usable as VGG weights: features.5.bias should have shape [6] for relu2_1"
            )
        }
        XCTAssertThrowsError(try load(Array(tensors.dropLast(2)))) {
            XCTAssertTrue("\($0)".contains("12 convolution kernels"), "\($0)")
        }
        XCTAssertThrowsError(try load(tensors, ["preprocessing": "opencv"])) {
            XCTAssertTrue("\($0)".contains("unknown preprocessing opencv"), "\($0)")
        }
        XCTAssertThrowsError(try load(tensors, ["architecture": "vgg19"])) {
            XCTAssertTrue("\($0)".contains("metadata says vgg19"), "\($0)")
        }
        var wrongShape = tensors
        wrongShape[2] = .init(name: "features.2.weight", shape: [4, 3, 3, 3], values: Array(repeating: 0, count: 108))
        XCTAssertThrowsError(try load(wrongShape)) {
            XCTAssertTrue("\($0)".contains("features.2.weight should be [4, 4, 3, 3] for relu1_2"), "\($0)")
        }
    }

    func testWeightsLocationPrefersFlagThenEnvironmentThenCache() {
        let environment = ["HOME": "/home/u", "ATELIER_WEIGHTS": "/w/env.safetensors"]
        XCTAssertEqual(
            WeightsLocation.resolve(explicit: "/w/flag.safetensors", environment: environment), "/w/flag.safetensors")
        XCTAssertEqual(WeightsLocation.resolve(explicit: nil, environment: environment), "/w/env.safetensors")
        XCTAssertEqual(
            WeightsLocation.resolve(environment: ["HOME": "/home/u"]), "/home/u/.cache/atelier/vgg16-hed.safetensors")
        XCTAssertEqual(
            WeightsLocation.resolve(environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "/xdg"]),
            "/xdg/atelier/vgg16-hed.safetensors")
    }

    func testMissingWeightsFileNamesTheFetchScript() {
        XCTAssertThrowsError(try VGGWeights(contentsOf: "/nonexistent/vgg16-hed.safetensors")) {
            XCTAssertTrue("\($0)".contains("run Scripts/fetch-weights"), "\($0)")
        }
    }
}
