import Dispatch
import Foundation

/// The `atelier worker --simulate` processes of `bench scaling`, which end with the benchmark: when
/// it returns or throws (`endAll`), and when it is stopped by SIGINT, SIGTERM or SIGHUP. A worker
/// whose coordinator is gone keeps saying READY to nobody, so a benchmark stopped from the
/// terminal would otherwise leave dozens of them running. A simulated worker holds nothing worth
/// saving, so it is killed outright (SIGKILL) and reaped before the benchmark exits.
final class SimulatedWorkerProcesses: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [Process] = []
    private var sources: [DispatchSourceSignal] = []

    /// Takes SIGINT, SIGTERM and SIGHUP from the default action (which would end this process and
    /// leave its workers running) for the life of this object.
    init() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)  // the dispatch source sees it; the default action must not
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in stopped(by: number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Starts `executable` with `arguments`, its output discarded.
    func spawn(_ executable: String, arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try lock.withLock {
            try process.run()
            running.append(process)
        }
        return process
    }

    /// Kills every worker started and waits for each to end.
    func endAll() {
        let processes = lock.withLock {
            defer { running = [] }
            return running
        }
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in processes { process.waitUntilExit() }
    }

    private func stopped(by number: Int32) {
        let count = lock.withLock { running.count }
        endAll()
        let name = Interrupted.name(of: number)
        FileHandle.standardError.write(Data("atelier: \(name) received: \(count) simulated workers ended\n".utf8))
        _exit(Interrupted.status(for: number))
    }

    deinit {
        for source in sources { source.cancel() }
        for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
    }
}
