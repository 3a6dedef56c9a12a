/// The most recently decoded strips or tiles of a reader, one per plane at most, so that
/// consecutive region reads inside the same chunk (row bands of a tall strip, neighbouring
/// rectangles of a tile) decode it once.
struct TIFFChunkCache {
    struct Entry {
        var chunk: PixelRect
        var plane: Int
        var bytes: [UInt8]
    }

    /// How many chunks are kept: one per plane read, so planar images do not thrash.
    let capacity: Int
    private(set) var entries: [Entry] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The index of the cached chunk, or nil.
    func index(of chunk: PixelRect, plane: Int) -> Int? {
        entries.firstIndex { $0.chunk == chunk && $0.plane == plane }
    }

    /// Makes room for a new chunk and returns its index; the oldest entry's buffer is reused.
    mutating func slot(for chunk: PixelRect, plane: Int, bytes count: Int) -> Int {
        var bytes: [UInt8]
        if entries.count == capacity {
            bytes = entries.removeFirst().bytes
        } else {
            bytes = []
        }
        if bytes.count != count { bytes = [UInt8](repeating: 0, count: count) }
        entries.append(Entry(chunk: chunk, plane: plane, bytes: bytes))
        return entries.count - 1
    }

    /// Lends the bytes of entry `index` for decoding into.
    mutating func withBytes<Result>(_ index: Int, _ body: (inout [UInt8]) throws -> Result) rethrows -> Result {
        try body(&entries[index].bytes)
    }

    /// Forgets entry `index` (its decode failed, so its bytes are not a chunk).
    mutating func discard(_ index: Int) {
        entries.remove(at: index)
    }
}
