/// One tensor listed in a safetensors header: its type, its shape and where its bytes lie in the
/// data section (the bytes after the header; offsets are relative to its start).
public struct SafeTensorsEntry: Equatable, Sendable {
    public var name: String
    public var dtype: SafeTensorsDType
    public var shape: [Int]
    public var byteRange: Range<Int>

    public init(name: String, dtype: SafeTensorsDType, shape: [Int], byteRange: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteRange = byteRange
    }

    /// Number of elements: the product of the shape (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
