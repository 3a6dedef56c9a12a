import Dispatch
import Foundation

/// Ctrl-C (SIGINT) and SIGTERM as a request to stop at the next safe point: the long-running
/// commands look at it after every iteration, tile or pass of the coordinator's loop and end
/// there with `Interrupted`, having saved what they have. A second signal ends the process at
/// once (the usual shell contract for an impatient user), and so does a signal outside a run
/// (while the inputs are read: nothing to save yet). The signals are taken from a dispatch
/// source, not a handler, so nothing but this class's bookkeeping runs on them.
final class StopRequest: @unchecked Sendable {
    static let shared = StopRequest()

    private let lock = NSLock()
    private var signal: Int32?
    private var sources: [DispatchSourceSignal] = []
    /// Whether a run is looking at the request (inside `during`).
    private var watched = false

    /// Runs `body` with SIGINT and SIGTERM turned into a request that `check()` reports.
    func during<Result>(_ body: () throws -> Result) rethrows -> Result {
        install()
        lock.lock()
        watched = true
        lock.unlock()
        defer {
            lock.lock()
            watched = false
            lock.unlock()
        }
        return try body()
    }

    /// Starts listening (once).
    private func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number, SIG_IGN)  // the dispatch source sees it; the default action must not
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in self.receive(number) }
            source.resume()
            sources.append(source)
        }
    }

    private func receive(_ number: Int32) {
        lock.lock()
        let first = signal == nil && watched
        if first { signal = number }
        lock.unlock()
        guard first else {
            FileHandle.standardError.write(Data("\natelier: \(Interrupted(signal: number))\n".utf8))
            _exit(Interrupted.status(for: number))
        }
        let name = Interrupted.name(of: number)
        FileHandle.standardError.write(Data(
            "\natelier: \(name) received: stopping at the next safe point (again to stop at once)\n".utf8))
    }

    /// The signal received, if any.
    var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signal
    }

    /// - Throws: `Interrupted` once a signal has been received.
    func check() throws {
        if let received { throw Interrupted(signal: received) }
    }
}

/// A run stopped by SIGINT or SIGTERM, with what was kept and how to continue. The process ends
/// with 128 + the signal's number (130, 143), as a shell reports a process the signal killed.
struct Interrupted: Error, CustomStringConvertible {
    var signal: Int32
    /// What was saved and the command that continues the run (nil: nothing to continue).
    var kept: String?

    var status: Int32 { Self.status(for: signal) }

    var description: String {
        "interrupted by \(Self.name(of: signal))" + (kept.map { ": " + $0 } ?? "")
    }

    static func status(for signal: Int32) -> Int32 { 128 + signal }

    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT (Ctrl-C)"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(signal)"
        }
    }
}
