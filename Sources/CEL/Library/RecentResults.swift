import Foundation

/// The results of a function of a string alone, kept for the texts it was given most recently, so
/// that the rules reading one value (an address in an environment variable, an image reference)
/// compute them once: several rules read each value of an object, one after the other on one
/// thread, and a cluster repeats values across namespaces. Shared by threads.
///
/// Its memory is bounded whatever the input: a text's hash chooses a set of two slots, which keep
/// the two texts of that set read most recently, and no text longer than `maxTextBytes` is kept.
/// Inlinable, so that the modules using it specialize it for their values.
public final class RecentResults<Value>: @unchecked Sendable {
    @usableFromInline struct Entry {
        @usableFromInline let text: String
        @usableFromInline let value: Value

        @usableFromInline init(text: String, value: Value) {
            self.text = text
            self.value = value
        }
    }

    @usableFromInline let lock = NSLock()
    /// Set `i` is slots `2i` (the more recently read) and `2i + 1`. Read and written under `lock`.
    @usableFromInline var slots: [Entry?]
    /// A hash masked with it is the first slot of a set.
    @usableFromInline let setMask: Int
    @usableFromInline let maxTextBytes: Int

    /// `slotCount` is rounded up to a power of two, and is at least 2 (one set).
    public init(slotCount: Int = 1024, maxTextBytes: Int = 4096) {
        slots = Array(repeating: nil, count: max(2, slotCount).nextPowerOfTwo)
        setMask = slots.count - 2
        self.maxTextBytes = maxTextBytes
    }

    /// `compute(text)`, from a slot when it keeps `text`. `compute` runs outside the lock.
    @inlinable public func value(of text: String, computing compute: (String) -> Value) -> Value {
        let found: (set: Int, value: Value?)? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count <= maxTextBytes else { return nil }
            let first = Int(truncatingIfNeeded: Self.hash(bytes)) & setMask
            lock.lock()
            defer { lock.unlock() }
            if let entry = slots[first], Self.hasBytes(entry.text, bytes) { return (first, entry.value) }
            if let entry = slots[first + 1], Self.hasBytes(entry.text, bytes) {
                slots.swapAt(first, first + 1)
                return (first, entry.value)
            }
            return (first, nil)
        } ?? nil
        guard let found else { return compute(text) }
        if let value = found.value { return value }
        let value = compute(text)
        lock.lock()
        slots[found.set + 1] = slots[found.set]
        slots[found.set] = Entry(text: text, value: value)
        lock.unlock()
        return value
    }

    /// By bytes: Swift's `==` on strings is canonical equivalence (a Kelvin sign equals `K`), and
    /// the function may tell such texts apart.
    @usableFromInline static func hasBytes(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { kept in
            kept.count == bytes.count && (kept.count == 0 || memcmp(kept.baseAddress!, bytes.baseAddress!, kept.count) == 0)
        } ?? false
    }

    /// A hash of the bytes, eight at a time, each step folding a full-width product so that
    /// every bit of the result depends on every byte.
    @usableFromInline static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        func mix(_ value: UInt64) -> UInt64 {
            let product = value.multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
            return product.high ^ product.low
        }
        let raw = UnsafeRawBufferPointer(bytes)
        var hash = mix(UInt64(raw.count))
        var offset = 0
        while offset + 8 <= raw.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < raw.count {
            tail = tail << 8 | UInt64(raw[offset])
            offset += 1
        }
        return mix(hash ^ tail)
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
