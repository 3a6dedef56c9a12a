import Foundation
import TestSupport
import XCTest

/// The built `atelier` running in the background (a coordinator or a worker) for the tests that
/// run real processes: its standard error goes to a log file the test reads while it runs, every
/// wait has a timeout, and it is ended by its process id (`stop`, or the test's tearDown).
final class BackgroundAtelier {
    let process = Process()
    let logPath: String

    /// - Parameter launcher: a command that runs the binary it is given, for one in another
    ///   place, e.g. `[hosts, "exec", "h1"]` for a network namespace host (`Cluster/netns/hosts`);
    ///   it must exec the binary, so that `pid` stays the binary's.
    init(_ arguments: [String], log logPath: String, launcher: [String] = []) throws {
        self.logPath = logPath
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let command = launcher + [AtelierProcess.binary.path] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = process.standardOutput
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The first log line containing `text`, waiting up to `timeout` seconds for it (nil if it
    /// never came, or the process ended without it). The log is read at least once, so a
    /// timeout of 0 asks about what is already there.
    func line(containing text: String, timeout: TimeInterval = 60) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let ended = !process.isRunning
            if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if ended { return nil }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    /// The endpoint a coordinator says it listens on (its `listening on tcp://…` line).
    func endpoint(timeout: TimeInterval = 60) throws -> String {
        let line = try XCTUnwrap(line(containing: "listening on", timeout: timeout), log)
        return String(try XCTUnwrap(line.split(separator: " ").first { $0.hasPrefix("tcp://") }, line))
    }

    /// The exit status, waiting up to `timeout` seconds (nil if still running).
    func exitStatus(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Sends `signal` to this process (by its id) and waits for it to end.
    func stop(_ signal: Int32 = SIGKILL) {
        guard process.isRunning else { return }
        kill(pid, signal)
        process.waitUntilExit()
    }
}

/// A TCP port on loopback that nothing listens on right now (the kernel's pick for port 0).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
            guard bind(fd, pointer, length) == 0 else { return -1 }
            return getsockname(fd, pointer, &length)
        }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A test case that starts `atelier` processes: each is ended by its process id (SIGKILL) in
/// tearDown, whatever the test did.
class ProcessTestCase: XCTestCase {
    private(set) var children: [BackgroundAtelier] = []

    override func tearDown() {
        for child in children { child.stop(SIGKILL) }
        children = []
        super.tearDown()
    }

    /// Starts `atelier arguments…` in the background with its output in `log`.
    func start(_ arguments: [String], log: String) throws -> BackgroundAtelier {
        let child = try BackgroundAtelier(arguments, log: log)
        children.append(child)
        return child
    }
}
