#if canImport(Glibc)
import Glibc
#endif

/// Where tensor and workspace buffers come from.
///
/// Large buffers are mapped straight from the system (`mmap`) and unmapped when freed, small
/// ones come from malloc. glibc's malloc raises its own mapping threshold each time it frees a
/// mapped block (up to 32 MiB), so after the first large buffer is freed, the next ones of up to
/// that size land on its heap, whose freed holes stay resident: a workspace that grows layer by
/// layer then kept every size it had outgrown, and a 512² VGG pass peaked about 30 MB higher
/// than the buffers it held (`atelier bench engine`, VmHWM). A mapping is also zero-filled by the
/// kernel, page by page as it is first touched.
extension Tensor {
    /// Buffers of at least this many bytes are mapped; smaller ones are taken from malloc.
    static let mappingThreshold = 1 << 20

    /// Allocates `count` zeroed floats aligned to `Tensor.alignment`, and counts the allocation.
    /// Free it with `deallocateAligned(_:count:)` and the same count.
    static func allocateAligned(count: Int) -> UnsafeMutablePointer<Float> {
        countAllocation()
        let count = max(count, 1), bytes = count * MemoryLayout<Float>.stride
        if bytes >= mappingThreshold {
            let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let mapped, mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
                fatalError("out of memory: mmap of \(bytes) bytes for a tensor failed (errno \(errno))")
            }
            return mapped.bindMemory(to: Float.self, capacity: count)
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
        let pointer = raw.bindMemory(to: Float.self, capacity: count)
        pointer.initialize(repeating: 0, count: count)
        return pointer
    }

    /// Frees a buffer of `count` floats from `allocateAligned(count:)`.
    static func deallocateAligned(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        if bytes >= mappingThreshold {
            munmap(pointer, bytes)
        } else {
            pointer.deallocate()
        }
    }
}
