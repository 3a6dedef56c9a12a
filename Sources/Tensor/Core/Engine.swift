internal import CBLAS
import Dispatch

/// Process-wide settings of the tensor engine.
///
/// There is one thread setting for the whole process (DESIGN.md §5). It bounds the engine's own
/// loops, and SGEMM runs on them too (`Matrix` cuts each product into fixed pieces): OpenBLAS
/// itself runs on one thread, because its threaded products round differently from one thread
/// count to another, and the bytes of a run must not depend on the threads.
public enum Engine {
    nonisolated(unsafe) private static var threadCount = 1
    private static let setup: Void = {
        threadCount = max(1, Int(openblas_get_num_threads()))
        openblas_set_num_threads(1)
    }()

    /// The number of threads the engine uses (its own loops', SGEMM's included).
    public static var threads: Int {
        _ = setup
        return threadCount
    }

    /// Sets the number of threads of the engine's loops. Call it once, before any work starts.
    public static func setThreads(_ count: Int) {
        _ = setup
        precondition(count >= 1, "thread count must be at least 1, not \(count)")
        threadCount = count
    }

    /// Runs `body(i)` for every `i` in `0..<count`, split over the engine's threads.
    /// A loop with one item, or an engine with one thread, runs inline. Public so that the
    /// modules above (the patch search) share the engine's one thread setting.
    public static func parallelFor(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count <= 1 || threads == 1 {
            for index in 0..<count { body(index) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// Runs `body(piece)` for every piece in `0..<count` on at most `threads` threads, each
    /// taking every `threads`-th piece: for many pieces of equal cost, without oversubscribing
    /// the cores.
    static func parallelPieces(_ count: Int, _ body: @Sendable (Int) -> Void) {
        let lanes = min(threads, count)
        parallelFor(lanes) { lane in
            for piece in stride(from: lane, to: count, by: lanes) { body(piece) }
        }
    }

    /// Splits `0..<total` into one contiguous chunk per thread and runs `body(range)` for each.
    /// Only for loops whose every element is computed on its own (no sums across a chunk).
    static func parallelChunks(_ total: Int, minimumChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        let chunks = max(1, min(threads, total / max(minimumChunk, 1)))
        if chunks == 1 {
            body(0..<total)
            return
        }
        parallelFor(chunks) { chunk in
            let start = total * chunk / chunks
            let end = total * (chunk + 1) / chunks
            if start < end { body(start..<end) }
        }
    }
}

/// A raw pointer that may cross into the engine's parallel loops. Each loop writes disjoint
/// ranges through it (or only reads), which is what makes the unchecked `Sendable` sound. Public
/// for the modules above that run their own loops on the engine (the patch search).
public struct SharedPointer: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Float>
    @inlinable public init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
}
