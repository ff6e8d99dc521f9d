#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stores each short scalar text of a stream part once in its text buffer: mapping keys and most
/// values of Kubernetes manifests repeat (`metadata`, `name`, namespace names, label values,
/// `IfNotPresent`), and at 5,000 namespaces the repeated text was half the node storage's text.
///
/// An open-addressing table of offsets into the text buffer. A slot is trusted only after its
/// bytes compare equal in the buffer as it is now; the slots a document added are taken out again
/// with it (`DocumentBuilder.discardDocument()`), so that many broken documents leave no chains of
/// dead slots to probe through.
struct TextInterner {
    /// Texts longer than this are appended as they are (long values rarely repeat).
    static let maxLength = 64

    private struct Slot {
        var offset: UInt32 = 0
        var hash: UInt32 = 0
        /// 0 for an empty slot.
        var length: UInt32 = 0
    }

    /// Small at first: a part may be one short document (a line of JSON Lines), and the table
    /// doubles as it fills.
    private var slots = [Slot](repeating: Slot(), count: 64)
    /// The slots in use.
    private(set) var used = 0
    /// The slots filled since `markDocumentStart()`, in order, unless the table grew since.
    private var filledSinceMark: [Int] = []
    private var grewSinceMark = false
    /// The most slots the table grows to (3 MiB, half of them filled: far more distinct short
    /// texts than a 1 MiB stream part holds); beyond it, new texts are appended without interning,
    /// so a huge document of distinct values cannot make the table larger than its own text.
    private static let maxSlots = 1 << 18

    /// The offset in `text` of `bytes`, appending them unless the same text is already there.
    mutating func offset(of bytes: UnsafeBufferPointer<UInt8>, appendingTo text: inout ArenaBuffer<UInt8>) -> UInt32 {
        guard let start = bytes.baseAddress, bytes.count > 0, bytes.count <= Self.maxLength else {
            return append(bytes, to: &text)
        }
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var position = Int(hash) & mask
        while slots[position].length != 0 {
            let slot = slots[position]
            if slot.hash == hash, slot.length == bytes.count, Int(slot.offset) + bytes.count <= text.count,
               text.withUnsafeBufferPointer({ memcmp($0.baseAddress! + Int(slot.offset), start, bytes.count) == 0 }) {
                return slot.offset
            }
            position = (position + 1) & mask
        }
        let offset = append(bytes, to: &text)
        guard slots.count < Self.maxSlots || used < slots.count / 2 else { return offset }
        slots[position] = Slot(offset: offset, hash: hash, length: UInt32(bytes.count))
        used += 1
        if !grewSinceMark { filledSinceMark.append(position) }
        if used > slots.count / 2, slots.count < Self.maxSlots { grow() }
        return offset
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>, to text: inout ArenaBuffer<UInt8>) -> UInt32 {
        let offset = UInt32(text.count)
        text.append(contentsOf: bytes)
        return offset
    }

    /// Where a document starts: `discardDocument(keepingText:)` takes out what it adds.
    mutating func markDocumentStart() {
        filledSinceMark.removeAll(keepingCapacity: true)
        grewSinceMark = false
    }

    /// Takes out the slots of the texts after the first `count` bytes of the text buffer (the
    /// document begun at the mark, taken out of the buffer). Emptying the slots filled since the
    /// mark, latest first, gives back the table as it was: a slot filled earlier never probed past
    /// a later one.
    mutating func discardDocument(keepingText count: Int) {
        if grewSinceMark {
            rehash(into: slots.count) { $0.offset < count }
        } else {
            for position in filledSinceMark.reversed() { slots[position] = Slot() }
            used -= filledSinceMark.count
        }
        markDocumentStart()
    }

    private mutating func grow() {
        rehash(into: slots.count * 2) { _ in true }
        grewSinceMark = true
    }

    /// Moves the slots that `keep` keeps into a table of `count` slots.
    private mutating func rehash(into count: Int, keeping keep: (Slot) -> Bool) {
        var table = [Slot](repeating: Slot(), count: count)
        let mask = table.count - 1
        used = 0
        for slot in slots where slot.length != 0 && keep(slot) {
            used += 1
            var position = Int(slot.hash) & mask
            while table[position].length != 0 { position = (position + 1) & mask }
            table[position] = slot
        }
        slots = table
    }

    /// A multiply-and-fold hash over 8 bytes at a time (the texts are short, so a byte loop would
    /// cost most of the lookup).
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let raw = UnsafeRawBufferPointer(bytes)
        var hash = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            offset += 8
        }
        if offset < raw.count {
            var tail: UInt64 = 0
            withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            hash = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
        }
        return UInt32(truncatingIfNeeded: hash)
    }
}
