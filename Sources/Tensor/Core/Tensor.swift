import Synchronization

/// A Float32 C×H×W tensor with 64-byte aligned storage that it owns and frees on `deinit`.
///
/// Tensors are reference types on purpose: the optimisation loop reuses the same buffers every
/// iteration (workspaces are planned once per image size), so an operation writes into a tensor
/// that the caller allocated, never into a fresh copy. Every allocation is counted in
/// `Tensor.allocationCount`, which is how the tests prove that a planned pass allocates nothing.
public final class Tensor: @unchecked Sendable {
    public let shape: Shape
    /// Aligned storage of `shape.count` floats. Internal: other modules borrow it through
    /// `withUnsafeBufferPointer` / `withUnsafeMutableBufferPointer`.
    @usableFromInline let storage: UnsafeMutablePointer<Float>

    /// Alignment of every tensor's storage, in bytes: one cache line, and what AVX-512 wants.
    public static let alignment = 64

    private static let allocations = Atomic<Int>(0)

    /// How many tensor or scratch buffers the engine has allocated in this process so far.
    public static var allocationCount: Int { allocations.load(ordering: .relaxed) }

    /// Counts one engine allocation; scratch buffers inside the engine call this too.
    static func countAllocation() { allocations.add(1, ordering: .relaxed) }

    /// A zero-filled tensor of the given shape.
    public init(_ shape: Shape) {
        self.shape = shape
        self.storage = Tensor.allocateAligned(count: shape.count)
    }

    public convenience init(channels: Int, height: Int, width: Int) {
        self.init(Shape(channels: channels, height: height, width: width))
    }

    /// A tensor holding a copy of `values`, which must have `shape.count` elements.
    public convenience init(_ shape: Shape, values: [Float]) {
        precondition(values.count == shape.count, "\(values.count) values for a \(shape) tensor")
        self.init(shape)
        values.withUnsafeBufferPointer { storage.update(from: $0.baseAddress!, count: values.count) }
    }

    deinit {
        Tensor.deallocateAligned(storage, count: shape.count)
    }

    public var channels: Int { shape.channels }
    public var height: Int { shape.height }
    public var width: Int { shape.width }
    public var count: Int { shape.count }

    @inlinable
    public subscript(channel: Int, y: Int, x: Int) -> Float {
        get { storage[(channel * shape.height + y) * shape.width + x] }
        set { storage[(channel * shape.height + y) * shape.width + x] = newValue }
    }

    /// The element at flat index `index` (channel-major).
    @inlinable
    public subscript(flat index: Int) -> Float {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Lends the storage read-only for the duration of `body`.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage, count: shape.count))
    }

    /// Lends the storage for writing for the duration of `body`.
    @inlinable
    public func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: storage, count: shape.count))
    }

    /// The values as an array (a copy), channel-major.
    public var array: [Float] { Array(UnsafeBufferPointer(start: storage, count: shape.count)) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { storage.update(repeating: value, count: shape.count) }

    /// Copies `other`'s values, which must have the same shape.
    public func copy(from other: Tensor) {
        precondition(other.shape == shape, "copy from \(other.shape) into \(shape)")
        storage.update(from: other.storage, count: shape.count)
    }

    /// A new tensor with the same shape and values.
    public func clone() -> Tensor {
        let result = Tensor(shape)
        result.copy(from: self)
        return result
    }
}
