#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// String equality and ordering, `startsWith`, `endsWith`, `contains` and `split` on UTF-8 bytes.
/// CEL compares code points, not grapheme clusters (Swift's `==` and `hasPrefix` compare
/// clusters); in valid UTF-8 a byte match of a whole needle begins and ends on code point
/// boundaries (a lead byte never equals a continuation byte), and byte order is code point order,
/// so comparing bytes gives the same answers without decoding either string.
enum StringBytes {
    static func equal(_ first: String, _ second: String) -> Bool {
        first.utf8.count == second.utf8.count && withBytes(first, second) { a, b in equal(a.baseAddress, b) }
    }

    /// Whether `text` is made of exactly `bytes`.
    static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.utf8.count == bytes.count else { return false }
        var text = text
        return text.withUTF8 { equal($0.baseAddress, bytes) }
    }

    /// -1, 0 or 1 as `first` sorts before, with or after `second` by code points (UTF-8 byte
    /// order is code point order).
    static func compare(_ first: String, _ second: String) -> Int {
        withBytes(first, second) { a, b in
            let common = min(a.count, b.count)
            let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 ? -1 : 1 }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        }
    }

    static func hasPrefix(_ text: String, _ prefix: String) -> Bool {
        withBytes(text, prefix) { text, prefix in
            prefix.count <= text.count && equal(text.baseAddress, prefix)
        }
    }

    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        withBytes(text, suffix) { text, suffix in
            suffix.count <= text.count && equal(text.baseAddress.map { $0 + (text.count - suffix.count) }, suffix)
        }
    }

    static func contains(_ text: String, _ needle: String) -> Bool {
        withBytes(text, needle) { text, needle in firstOccurrence(of: needle, in: text, from: 0) != nil }
    }

    /// `text` with the first `limit` occurrences of `old` (all when `limit` is negative) replaced
    /// by `new`, left to right; an empty `old` matches before every code point and at the end.
    /// Linear in the length of the text (a code point array and `String.UnicodeScalarView`
    /// appends made a long text take minutes); nil when the result would be larger than
    /// `ResultSizeLimit.stringBytes`.
    static func replacing(_ text: String, _ old: String, with new: String, limit: Int64) -> String? {
        if limit == 0 { return text }
        let replacement = Array(new.utf8)
        let bytes: [UInt8]? = withBytes(text, old) { text, old in
            var out: [UInt8] = []
            out.reserveCapacity(text.count)
            var position = 0
            var count: Int64 = 0
            while limit < 0 || count < limit {
                let found: Int
                if old.isEmpty {
                    guard position <= text.count else { break }
                    found = position
                } else {
                    guard let match = firstOccurrence(of: old, in: text, from: position) else { break }
                    found = match
                }
                guard out.count + (found - position) + replacement.count <= ResultSizeLimit.stringBytes else { return nil }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[position..<found]))
                out.append(contentsOf: replacement)
                count += 1
                position = found + old.count
                if old.isEmpty {
                    // Copy the code point the empty match stands before.
                    var next = position + 1
                    while next < text.count, text[next] & 0xC0 == 0x80 { next += 1 }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[min(position, text.count)..<min(next, text.count)]))
                    position = next
                }
            }
            if position < text.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: text[position...])) }
            return out.count <= ResultSizeLimit.stringBytes ? out : nil
        }
        return bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Where `needle` first occurs in `text` at or after byte `start` (`start` when it is empty):
    /// `memchr` to each candidate for the first byte, then one `memcmp`.
    private static func firstOccurrence(of needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let needleStart = needle.baseAddress, !needle.isEmpty else { return start }
        guard let textStart = text.baseAddress, start + needle.count <= text.count else { return nil }
        let first = needle[0]
        let rest = needle.count - 1
        var position = textStart + start
        let last = textStart + (text.count - needle.count)
        while position <= last {
            guard let found = memchr(position, Int32(first), last - position + 1) else { return nil }
            let candidate = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
            if memcmp(candidate + 1, needleStart + 1, rest) == 0 { return candidate - textStart }
            position = candidate + 1
        }
        return nil
    }

    /// `text` cut at each occurrence of `separator` (not empty), left to right, into at most
    /// `limit` pieces (all of them when `limit` is negative).
    static func split(_ text: String, separator: String, limit: Int64) -> [String] {
        withBytes(text, separator) { text, separator in
            var pieces: [String] = []
            var start = 0
            while limit < 0 || Int64(pieces.count) < limit - 1, let found = firstOccurrence(of: separator, in: text, from: start) {
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: text[start..<found]), as: UTF8.self))
                start = found + separator.count
            }
            pieces.append(String(decoding: UnsafeBufferPointer(rebasing: text[start...]), as: UTF8.self))
            return pieces
        }
    }

    private static func equal(_ start: UnsafePointer<UInt8>?, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let wanted = bytes.baseAddress, !bytes.isEmpty else { return true }
        guard let start else { return false }
        return memcmp(start, wanted, bytes.count) == 0
    }

    private static func withBytes<Result>(_ first: String, _ second: String, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var first = first
        var second = second
        return first.withUTF8 { a in second.withUTF8 { b in body(a, b) } }
    }
}
