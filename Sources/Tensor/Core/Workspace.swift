/// Scratch memory that an operation borrows for the length of one call and that is kept for the
/// next call: workspaces are planned once per image size and reused, so the optimisation loop
/// allocates nothing (DESIGN.md §5). A buffer grows only when a larger request arrives, and each
/// growth is counted in `Tensor.allocationCount`.
///
/// A workspace is not thread-safe: use one per concurrent stream of work.
public final class Workspace: @unchecked Sendable {
    private var slots: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []

    public init() {}

    deinit {
        for slot in slots { Tensor.deallocateAligned(slot.pointer, count: slot.capacity) }
    }

    /// Total floats held across all slots.
    public var capacity: Int { slots.reduce(0) { $0 + $1.capacity } }

    /// A buffer of at least `count` floats in slot `slot`, 64-byte aligned, contents undefined.
    /// Distinct slots never overlap, so one operation can hold several at once.
    func buffer(slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        while slots.count <= slot {
            slots.append((Tensor.allocateAligned(count: 0), 1))
        }
        if slots[slot].capacity < count {
            Tensor.deallocateAligned(slots[slot].pointer, count: slots[slot].capacity)
            slots[slot] = (Tensor.allocateAligned(count: count), count)
        }
        return slots[slot].pointer
    }
}
