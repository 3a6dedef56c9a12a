import Foundation
import TestSupport
import XCTest

@testable import Tensor

final class WorkspaceTests: XCTestCase {
    /// A planned forward+backward pass (conv → ReLU → pool → conv, as in VGG's first blocks)
    /// allocates its tensors and workspace once; repeating it at the same size allocates nothing.
    func testRepeatedForwardBackwardAtOneSizeAllocatesNothing() {
        var random = SeededRandom(seed: 71)
        let conv1 = Conv3x3(outputChannels: 8, inputChannels: 3, weight: random.floats(8 * 3 * 9), bias: random.floats(8))
        let conv2 = Conv3x3(outputChannels: 16, inputChannels: 8, weight: random.floats(16 * 8 * 9), bias: random.floats(16))
        let image = random.tensor(Shape(channels: 3, height: 20, width: 14))
        let a1 = Tensor(channels: 8, height: 20, width: 14)
        let p1 = Tensor(Pool2x2.outputShape(for: a1.shape))
        let a2 = Tensor(channels: 16, height: 10, width: 7)
        let g2 = random.tensor(a2.shape), gp1 = Tensor(p1.shape), ga1 = Tensor(a1.shape), gImage = Tensor(image.shape)
        let upsampled = Tensor(channels: 3, height: 40, width: 28)
        let workspace = Workspace()

        func pass() {
            conv1.forward(image, into: a1, workspace: workspace)
            ReLU.forward(a1, into: a1)
            Pool2x2.forward(a1, into: p1, kind: .max)
            conv2.forward(p1, into: a2, workspace: workspace)
            conv2.backward(outputGradient: g2, into: gp1, workspace: workspace)
            Pool2x2.backward(input: a1, outputGradient: gp1, into: ga1, kind: .max)
            ReLU.backward(output: a1, outputGradient: ga1, into: ga1)
            conv1.backward(outputGradient: ga1, into: gImage, workspace: workspace)
            Resample.bicubic(image, into: upsampled, workspace: workspace)
        }

        pass()
        let before = Tensor.allocationCount
        for _ in 0..<3 { pass() }
        XCTAssertEqual(Tensor.allocationCount, before, "a repeated pass at one size allocated engine buffers")
        XCTAssertGreaterThan(before, 0)
    }

    func testWorkspaceGrowsOnlyForLargerRequests() {
        let workspace = Workspace()
        _ = workspace.buffer(slot: 0, count: 100)
        let before = Tensor.allocationCount
        _ = workspace.buffer(slot: 0, count: 50)
        XCTAssertEqual(Tensor.allocationCount, before)
        _ = workspace.buffer(slot: 0, count: 200)
        XCTAssertEqual(Tensor.allocationCount, before + 1)
    }

    /// A workspace that grows step by step holds only its latest buffer in memory, and gives it
    /// back to the system when freed: large buffers are mapped and unmapped (`Tensor+Storage`),
    /// where malloc, once a large block had been freed, kept them on its heap.
    func testAGrowingWorkspaceKeepsOnlyItsLatestBufferResident() throws {
        let megabyte = 1 << 18  // floats
        // Frees a 24 MB block first, which raises malloc's own mapping threshold to that size.
        _ = Tensor(channels: 1, height: 1, width: 24 * megabyte)
        var workspace: Workspace? = Workspace()
        let before = try Self.residentKilobytes()
        for megabytes in 1...8 {
            let buffer = workspace!.buffer(slot: 0, count: megabytes * megabyte)
            buffer.update(repeating: 1, count: megabytes * megabyte)  // touch every page
        }
        let grown = try Self.residentKilobytes()
        // 8 MB held; the outgrown sizes would add up to 28 MB more.
        XCTAssertLessThan(grown - before, 16 << 10, "resident memory grew by \(grown - before) kB")
        XCTAssertGreaterThan(grown - before, 6 << 10, "the 8 MB buffer should be resident")
        workspace = nil
        let released = try Self.residentKilobytes()
        XCTAssertGreaterThan(grown - released, 6 << 10, "freeing the workspace gave back \(grown - released) kB")
    }

    /// Zeroed storage whichever way it is allocated (below and above `mappingThreshold`).
    func testSmallAndLargeTensorsStartAtZero() {
        for count in [1, 1000, Tensor.mappingThreshold / 4 - 1, Tensor.mappingThreshold / 4, 3 << 20] {
            let tensor = Tensor(channels: 1, height: 1, width: count)
            XCTAssertEqual(tensor.maximumMagnitude, 0, "\(count) floats")
            tensor.fill(2)
            XCTAssertEqual(tensor[flat: count - 1], 2)
        }
    }

    /// VmRSS of this process, from /proc/self/status.
    private static func residentKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try XCTUnwrap(Int(line.split(separator: " ")[1]))
    }
}
