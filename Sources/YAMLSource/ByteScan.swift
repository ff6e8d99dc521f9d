#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-input byte scans done before parsing (finding lines, markers), with libc's vectorized
/// `memchr` instead of a loop over single bytes: they run over every byte of every input. (The
/// policy engine looks for a byte in values with `firstIndex` too.)
public enum ByteScan {
    /// The position of the first `byte` at or after `start`, or nil.
    public static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The end of the line starting at `start`: the position of its line feed, or the end.
    static func lineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        firstIndex(of: UInt8(ascii: "\n"), in: bytes, from: start) ?? bytes.count
    }

    /// The number of line feeds in `bytes`.
    static func lineFeedCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var start = 0
        while let newline = firstIndex(of: UInt8(ascii: "\n"), in: bytes, from: start) {
            count += 1
            start = newline + 1
        }
        return count
    }
}
