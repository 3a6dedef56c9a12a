import Foundation
import Messaging
import TestSupport
import XCTest

@testable import Pipeline

/// `atelier coordinator` and `atelier worker` as processes against peers that do not play by the
/// rules: an oversize frame, and workers whose CURVE keys do not fit the coordinator's.
final class HostileNetworkTests: ProcessTestCase {
    private static let doodle = DoodleJob()

    private func coordinator(folder: TemporaryDirectory, _ extra: [String] = []) throws -> (BackgroundAtelier, String) {
        let job = try Self.doodle.write(in: folder, output: "out.png")
        let process = try start(
            ["coordinator", "--job", job, "--bind", "tcp://127.0.0.1:*", "--threads", "1"] + extra,
            log: folder.path("coordinator.log"))
        return (process, try process.endpoint())
    }

    /// The largest resident set the process has had (VmHWM), in bytes.
    private func peakResidentBytes(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return try XCTUnwrap(Int(line.split(separator: " ")[1])) * 1024
    }

    /// Before, a 400 MB frame was received whole (the coordinator grew from 146 to 936 MB) and
    /// only then dropped. With `ZMQ_MAXMSGSIZE` libzmq drops the sender's connection on the
    /// frame's length: the coordinator's peak stays far below the frame's size, the frame is
    /// never decoded, and the next message on the same socket (after libzmq reconnects) is.
    func testA400MBFrameIsRefusedBeforeItIsReceived() throws {
        let folder = try TemporaryDirectory()
        let (coordinator, endpoint) = try coordinator(folder: folder)
        let frameSize = 400 << 20
        let context = try MessagingContext()
        let peer = try context.socket(.dealer)
        try peer.connect(endpoint)
        try peer.send([Data(count: frameSize)])
        try peer.send([Data("after the big one".utf8)])
        let dropped = coordinator.line(containing: "dropped a message", timeout: 120)
        try peer.close()
        try context.close()
        XCTAssertNotNil(dropped, coordinator.log)
        XCTAssertTrue(dropped?.contains("bad magic") ?? false, coordinator.log)
        let peak = try peakResidentBytes(coordinator.pid)
        print("coordinator peak RSS after a \(frameSize >> 20) MB frame: \(peak >> 20) MB")
        XCTAssertLessThan(peak, frameSize, "the frame reached the coordinator's memory")
        XCTAssertEqual(coordinator.log.components(separatedBy: "dropped a message").count - 1, 1, coordinator.log)
        XCTAssertNil(coordinator.exitStatus(timeout: 0), "the coordinator is still up")
    }

    /// Workers whose keys do not fit: none, the wrong server key, an untrusted key. Each says
    /// so in a line within seconds (before, each printed "connecting to …" and waited forever)
    /// and tries again after a growing pause; the coordinator logs the mismatch and the
    /// cryptographic error itself (the untrusted key is the ZAP handler's line).
    func testWorkersWithKeysThatDoNotFitSaySoAndRetry() throws {
        let folder = try TemporaryDirectory()
        for name in ["server", "trusted", "stranger", "other"] {
            let run = try AtelierProcess.run(["keys", "generate", "--out", folder.path(name)])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        try FileManager.default.createDirectory(atPath: folder.path("trust"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: folder.path("trusted/key.pub"), toPath: folder.path("trust/trusted.pub"))
        let (coordinator, endpoint) = try coordinator(
            folder: folder, ["--keys", folder.path("server"), "--trust", folder.path("trust")])
        // (A plain worker sees the mismatch itself, or the coordinator close on it first.)
        let workers: [(name: String, arguments: [String], reasons: [String])] = [
            ("plain", [], ["security mechanism mismatch", "closed the connection"]),
            ("wrong-server-key", ["--keys", folder.path("trusted"), "--server-key", folder.path("other")],
             ["closed the connection"]),
            ("untrusted", ["--keys", folder.path("stranger"), "--server-key", folder.path("server")],
             ["refused this key (ZAP status 400)"]),
        ]
        let started = Date()
        let processes = try workers.map { worker in
            try start(
                ["worker", "--connect", endpoint, "--threads", "1"] + worker.arguments, log: folder.path(worker.name))
        }
        for (worker, process) in zip(workers, processes) {
            let first = process.line(containing: "retrying in 1 s", timeout: 60)
            XCTAssertNotNil(first, "\(worker.name): \(process.log)")
            let reason = worker.reasons.contains { first?.contains($0) ?? false }
            XCTAssertTrue(reason, "\(worker.name): \(first ?? process.log)")
            XCTAssertTrue(first?.hasPrefix("worker: handshake on \(endpoint) failed: ") ?? false, first ?? "")
        }
        print("three refused workers reported within \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        for (worker, process) in zip(workers, processes) {
            XCTAssertNotNil(process.line(containing: "retrying in 2 s", timeout: 30), "\(worker.name): \(process.log)")
            XCTAssertNil(process.exitStatus(timeout: 0), "\(worker.name) gave up")
        }
        XCTAssertNotNil(coordinator.line(containing: "security mechanism mismatch", timeout: 10), coordinator.log)
        XCTAssertNotNil(coordinator.line(containing: "cryptographic error", timeout: 10), coordinator.log)
        XCTAssertNotNil(coordinator.line(containing: "its public key is not trusted", timeout: 10), coordinator.log)
        XCTAssertTrue(
            coordinator.log.split(separator: "\n").filter { $0.contains("handshake") }.allSatisfy {
                $0.hasPrefix("coordinator: a peer's handshake on ")
            }, coordinator.log)
    }
}
