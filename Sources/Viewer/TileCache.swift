import Foundation

/// The most recently served encoded tiles, up to a byte budget: a viewer asks for the same tiles
/// again as the user pans back and forth, and a second decode and encode of them is the slow path.
final class TileCache: @unchecked Sendable {
    private let capacity: Int
    private let lock = NSLock()
    private var entries: [String: (bytes: [UInt8], lastUse: UInt64)] = [:]
    private var total = 0
    private var clock: UInt64 = 0

    /// - Parameter capacity: bytes of encoded tiles kept at most.
    init(capacity: Int) {
        self.capacity = capacity
    }

    func bytes(for key: String) -> [UInt8]? {
        lock.withLock {
            guard let entry = entries[key] else { return nil }
            clock += 1
            entries[key] = (entry.bytes, clock)
            return entry.bytes
        }
    }

    /// Keeps `bytes` under `key`, dropping the least recently used tiles beyond the budget.
    func store(_ bytes: [UInt8], for key: String) {
        guard bytes.count <= capacity else { return }
        lock.withLock {
            clock += 1
            if let old = entries.updateValue((bytes, clock), forKey: key) { total -= old.bytes.count }
            total += bytes.count
            while total > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                entries[oldest.key] = nil
                total -= oldest.value.bytes.count
            }
        }
    }
}
