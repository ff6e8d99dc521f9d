#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One growing array of a stream part's node storage, in memory from `malloc` grown with
/// `realloc`, and handed over at its exact size once the part is read (`take()`).
///
/// A Swift array grows by allocating a new buffer and copying into it, and the arena then copied
/// each array once more to drop the slack: every page of the node storage was written three
/// times. A large block (glibc serves 128 KiB and more from its own mapping) grows and shrinks in
/// place with `realloc`, or has its pages moved (`mremap`), without copying.
///
/// A value, like an array: a copy shares the memory until one of the two changes it.
struct ArenaBuffer<Element: BitwiseCopyable> {
    private final class Storage {
        var base: UnsafeMutablePointer<Element>?
        var count = 0
        var capacity = 0

        init() {}

        deinit { free(base) }

        func copy() -> Storage {
            let copy = Storage()
            if count > 0 {
                copy.reserve(count)
                copy.base!.initialize(from: base!, count: count)
                copy.count = count
            }
            return copy
        }

        @inline(__always)
        func reserve(_ minimum: Int) {
            if minimum > capacity { grow(to: minimum) }
        }

        @inline(never)
        private func grow(to minimum: Int) {
            let newCapacity = max(minimum, capacity * 2, 256)
            let (size, overflow) = MemoryLayout<Element>.stride.multipliedReportingOverflow(by: newCapacity)
            guard !overflow, let memory = realloc(base, size) else {
                fatalError("out of memory growing YAML node storage to \(newCapacity) elements")
            }
            base = memory.assumingMemoryBound(to: Element.self)
            capacity = newCapacity
        }
    }

    private var storage = Storage()

    init() {}

    var count: Int { storage.count }

    var last: Element? { count == 0 ? nil : storage.base![count - 1] }

    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < count, "ArenaBuffer index out of range")
            return storage.base![index]
        }
        set {
            precondition(index >= 0 && index < count, "ArenaBuffer index out of range")
            makeUnique()
            storage.base![index] = newValue
        }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        makeUnique()
        storage.reserve(count + 1)
        (storage.base! + count).initialize(to: element)
        storage.count += 1
    }

    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress, !elements.isEmpty else { return }
        makeUnique()
        storage.reserve(count + elements.count)
        (storage.base! + count).initialize(from: source, count: elements.count)
        storage.count += elements.count
    }

    /// Keeps the first `newCount` elements.
    mutating func removeSuffix(from newCount: Int) {
        precondition(newCount >= 0 && newCount <= count, "ArenaBuffer count out of range")
        makeUnique()
        storage.count = newCount
    }

    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// The elements in memory of their exact size, which the caller frees with `free`; the
    /// buffer is empty afterwards. The memory itself moves when no copy shares it.
    mutating func take() -> UnsafeBufferPointer<Element> {
        makeUnique()
        // One element at least: `realloc` to 0 bytes may free the block.
        let size = MemoryLayout<Element>.stride * max(count, 1)
        guard let memory = storage.base == nil ? malloc(size) : realloc(storage.base, size) else {
            fatalError("out of memory taking \(size) bytes of YAML node storage")
        }
        let taken = UnsafeBufferPointer(start: memory.assumingMemoryBound(to: Element.self), count: count)
        storage.base = nil
        (storage.count, storage.capacity) = (0, 0)
        return taken
    }

    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}
