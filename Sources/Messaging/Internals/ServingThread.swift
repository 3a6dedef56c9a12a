import Dispatch
import Foundation
import Synchronization

/// A thread that serves one socket until asked to stop: the ZAP handler's and the handshake
/// monitor's loops. The socket is handed to the thread when it starts and used only there; the
/// loop looks at `shouldStop` between receives, so `stop()` returns within one receive timeout.
final class ServingThread: Sendable {
    private let stopRequested = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` on a thread named `name`; `body` returns when `shouldStop` says so.
    init(name: String, _ body: @escaping @Sendable (_ shouldStop: () -> Bool) -> Void) {
        let thread = Thread { [self] in
            body { stopRequested.withLock { $0 } }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the loop to stop and waits for its thread to end.
    /// - Returns: whether this call stopped it (false when it was already stopped).
    @discardableResult
    func stop() -> Bool {
        let first = stopRequested.withLock { requested in
            defer { requested = true }
            return !requested
        }
        if first { finished.wait() }
        return first
    }
}
