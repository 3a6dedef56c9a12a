import Glibc

/// Keeps freed memory from piling up in glibc's allocator. By default malloc gives each thread
/// that allocates concurrently an arena of its own (up to 8 per core) and raises its mmap
/// threshold after every large free, so a coordinator that streams a gigapixel level (tensors of
/// 10–50 MB made and freed on the engine's threads) keeps gigabytes of freed but unreturned
/// memory. Two arenas and a fixed 1 MB mmap threshold return every large tensor to the system on
/// free, so resident memory follows the live data (the gigapixel check's bound of 1 GB).
enum HeapSettings {
    /// `M_ARENA_MAX` and `M_MMAP_THRESHOLD` of glibc's <malloc.h>, which Swift's Glibc module does
    /// not export (nor `mallopt` itself, looked up below).
    private static let arenaMaximum: Int32 = -8
    private static let mmapThreshold: Int32 = -3

    /// Applies the settings; without glibc's `mallopt` (another C library) it does nothing.
    static func apply() {
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(arenaMaximum, 2)
        _ = mallopt(mmapThreshold, 1 << 20)
    }
}
