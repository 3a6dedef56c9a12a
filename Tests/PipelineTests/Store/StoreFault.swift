import Foundation
import Glibc

@testable import Pipeline

/// Faults for the run store's system calls, in the style of swift-system's mocking: a table of
/// the system's calls in which the calls of one kind on files whose path contains `matching`
/// take `effects` in turn once `skip` of them have gone through. Install it with
/// `SystemCallTable.with(fault.table) { … }`.
final class StoreFault: @unchecked Sendable {
    enum Call: Sendable { case write, fsync, fallocate, pwrite, ftruncate, unlink, mkdir }

    enum Effect: Sendable {
        /// The call fails with this error number.
        case error(Int32)
        /// A write (or pwrite) writes at most this many bytes (a short write, which is no error).
        case short(Int)
    }

    let call: Call
    let matching: String
    let skip: Int
    let effects: [Effect]
    /// Whether the last effect repeats for every later matching call.
    let repeatsLast: Bool
    private let lock = NSLock()
    private var paths: [Int32: String] = [:]
    private var matched = 0
    private var injectedCount = 0

    init(_ call: Call, matching: String, skip: Int = 0, effects: [Effect], repeatsLast: Bool = false) {
        self.call = call
        self.matching = matching
        self.skip = skip
        self.effects = effects
        self.repeatsLast = repeatsLast
    }

    /// How many calls took an effect.
    var injected: Int { lock.withLock { injectedCount } }

    /// The effect for this call of `kind` on `descriptor`, or nil to let it through.
    private func effect(_ kind: Call, descriptor: Int32) -> Effect? {
        lock.withLock { paths[descriptor] }.flatMap { effect(kind, path: $0) }
    }

    /// The effect for this call of `kind` on the file at `path`, or nil to let it through.
    private func effect(_ kind: Call, path: String) -> Effect? {
        lock.withLock {
            guard kind == call, path.contains(matching) else { return nil }
            matched += 1
            let index = matched - skip - 1
            guard index >= 0 else { return nil }
            guard index < effects.count || repeatsLast else { return nil }
            injectedCount += 1
            return effects[min(index, effects.count - 1)]
        }
    }

    /// The system's calls with this fault in them.
    var table: SystemCallTable {
        let system = SystemCallTable.system
        var table = system
        table.open = { path, flags, mode in
            let descriptor = system.open(path, flags, mode)
            if descriptor >= 0 { self.lock.withLock { self.paths[descriptor] = path } }
            return descriptor
        }
        table.write = { descriptor, bytes, count in
            switch self.effect(.write, descriptor: descriptor) {
            case .error(let code):
                errno = code
                return -1
            case .short(let most): return system.write(descriptor, bytes, min(count, most))
            case nil: return system.write(descriptor, bytes, count)
            }
        }
        table.fsync = { descriptor in
            guard case .error(let code) = self.effect(.fsync, descriptor: descriptor) else {
                return system.fsync(descriptor)
            }
            errno = code
            return -1
        }
        table.fallocate = { descriptor, offset, length in
            guard case .error(let code) = self.effect(.fallocate, descriptor: descriptor) else {
                return system.fallocate(descriptor, offset, length)
            }
            return code
        }
        table.pwrite = { descriptor, bytes, count, offset in
            switch self.effect(.pwrite, descriptor: descriptor) {
            case .error(let code):
                errno = code
                return -1
            case .short(let most): return system.pwrite(descriptor, bytes, min(count, most), offset)
            case nil: return system.pwrite(descriptor, bytes, count, offset)
            }
        }
        table.ftruncate = { descriptor, length in
            self.failing(self.effect(.ftruncate, descriptor: descriptor)) {
                system.ftruncate(descriptor, length)
            }
        }
        table.unlink = { path in self.failing(self.effect(.unlink, path: path)) { system.unlink(path) } }
        table.mkdir = { path, mode in
            self.failing(self.effect(.mkdir, path: path)) { system.mkdir(path, mode) }
        }
        return table
    }

    /// −1 with `errno` set for an `.error` effect, else the system's call.
    private func failing(_ effect: Effect?, _ call: () -> Int32) -> Int32 {
        guard case .error(let code) = effect else { return call() }
        errno = code
        return -1
    }
}
