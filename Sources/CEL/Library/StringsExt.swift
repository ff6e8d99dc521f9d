import Foundation

/// The cel-go / Kubernetes strings extension library, plus `base64` encoders.
/// All indices count Unicode code points.
enum StringsExt {
    static func outOfRange(_ i: Int64) -> CELValue { .err("index out of range: \(i)") }

    /// Where `sub` first occurs in `s` at or after code point `from` (not negative), as cel-go
    /// finds it: an empty `sub` at `from`, held to the end of `s`; a start at or past the end
    /// finds nothing else (-1, not an error).
    static func indexOf(_ s: [Unicode.Scalar], _ sub: [Unicode.Scalar], from: Int) -> Int {
        if sub.isEmpty { return min(from, s.count) }
        if from >= s.count || sub.count > s.count - from { return -1 }
        var i = from
        while i + sub.count <= s.count {
            if s[i] == sub[0] && s[i..<(i + sub.count)].elementsEqual(sub) { return i }
            i += 1
        }
        return -1
    }

    /// Where `sub` last occurs in `s` starting at or before code point `upTo` (not negative), as
    /// cel-go finds it: an empty `sub` at `upTo`, held to the end of `s`; an `upTo` at or past the
    /// end finds nothing else (-1: `'abc'.lastIndexOf('c', 3)` is -1, as in cel-go).
    static func lastIndexOf(_ s: [Unicode.Scalar], _ sub: [Unicode.Scalar], upTo: Int) -> Int {
        if sub.isEmpty { return min(upTo, s.count) }
        if upTo >= s.count { return -1 }
        var i = min(upTo, s.count - sub.count)
        while i >= 0 {
            if s[i..<(i + sub.count)].elementsEqual(sub) { return i }
            i -= 1
        }
        return -1
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    static func split(_ s: String, _ sep: String, _ n: Int64) -> [CELValue] {
        if n == 0 { return [] }
        guard sep.isEmpty else { return StringBytes.split(s, separator: sep, limit: n).map(CELValue.string) }
        // An empty separator cuts between code points.
        let sc = Array(s.unicodeScalars)
        var out: [CELValue] = []
        for (k, c) in sc.enumerated() {
            if n > 0 && Int64(out.count) == n - 1 {
                out.append(.string(string(sc[k...])))
                return out
            }
            out.append(.string(String(c)))
        }
        return out
    }

    static func register(_ t: inout FunctionTable) {
        t.addReceiver("charAt", 2) { a in
            guard case .string(let s) = a[0], case .int(let i) = a[1] else { return noSuchOverload("charAt", a) }
            let sc = Array(s.unicodeScalars)
            if i < 0 || i > sc.count { return outOfRange(i) }
            return .string(i == sc.count ? "" : String(sc[Int(i)]))
        }
        t.addReceiver("indexOf", 2, sizeCost: true) { a in
            if case .list = a[0] { return ListsExt.indexOf(a[0], a[1], last: false) }
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return noSuchOverload("indexOf", a) }
            return .int(Int64(indexOf(Array(s.unicodeScalars), Array(sub.unicodeScalars), from: 0)))
        }
        t.addReceiver("indexOf", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sub) = a[1], case .int(let from) = a[2] else {
                return noSuchOverload("indexOf", a)
            }
            if from < 0 { return outOfRange(from) }
            let sc = Array(s.unicodeScalars)
            return .int(Int64(indexOf(sc, Array(sub.unicodeScalars), from: Int(min(from, Int64(sc.count))))))
        }
        t.addReceiver("lastIndexOf", 2, sizeCost: true) { a in
            if case .list = a[0] { return ListsExt.indexOf(a[0], a[1], last: true) }
            guard case .string(let s) = a[0], case .string(let sub) = a[1] else { return noSuchOverload("lastIndexOf", a) }
            let sc = Array(s.unicodeScalars)
            // cel-go searches from the last code point (an empty `sub` is found at the end).
            return .int(Int64(sub.isEmpty ? sc.count : lastIndexOf(sc, Array(sub.unicodeScalars), upTo: sc.count - 1)))
        }
        t.addReceiver("lastIndexOf", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sub) = a[1], case .int(let upTo) = a[2] else {
                return noSuchOverload("lastIndexOf", a)
            }
            if upTo < 0 { return outOfRange(upTo) }
            let sc = Array(s.unicodeScalars)
            return .int(Int64(lastIndexOf(sc, Array(sub.unicodeScalars), upTo: Int(min(upTo, Int64(sc.count))))))
        }
        t.addReceiver("lowerAscii", 1, sizeCost: true) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("lowerAscii", a) }
            return .string(mapASCIILetters(s, from: UInt8(ascii: "A")...UInt8(ascii: "Z")))
        }
        t.addReceiver("upperAscii", 1, sizeCost: true) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("upperAscii", a) }
            return .string(mapASCIILetters(s, from: UInt8(ascii: "a")...UInt8(ascii: "z")))
        }
        t.addReceiver("replace", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let o) = a[1], case .string(let n) = a[2] else {
                return noSuchOverload("replace", a)
            }
            return StringBytes.replacing(s, o, with: n, limit: -1).map(CELValue.string) ?? ResultSizeLimit.stringError("replace")
        }
        t.addReceiver("replace", 4, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let o) = a[1], case .string(let n) = a[2],
                case .int(let k) = a[3]
            else { return noSuchOverload("replace", a) }
            return StringBytes.replacing(s, o, with: n, limit: k).map(CELValue.string) ?? ResultSizeLimit.stringError("replace")
        }
        t.addReceiver("split", 2, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sep) = a[1] else { return noSuchOverload("split", a) }
            return .list(CELList(split(s, sep, -1)))
        }
        t.addReceiver("split", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .string(let sep) = a[1], case .int(let n) = a[2] else {
                return noSuchOverload("split", a)
            }
            return .list(CELList(split(s, sep, n)))
        }
        t.addReceiver("substring", 2, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .int(let start) = a[1] else { return noSuchOverload("substring", a) }
            let sc = Array(s.unicodeScalars)
            if start < 0 || start > sc.count { return outOfRange(start) }
            return .string(string(sc[Int(start)...]))
        }
        t.addReceiver("substring", 3, sizeCost: true) { a in
            guard case .string(let s) = a[0], case .int(let start) = a[1], case .int(let end) = a[2] else {
                return noSuchOverload("substring", a)
            }
            let sc = Array(s.unicodeScalars)
            if start < 0 || start > sc.count { return outOfRange(start) }
            if end < 0 || end > sc.count { return outOfRange(end) }
            if start > end { return .err("invalid substring range. start: \(start), end: \(end)") }
            return .string(string(sc[Int(start)..<Int(end)]))
        }
        t.addReceiver("trim", 1, sizeCost: true) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("trim", a) }
            return .string(trimmingSpace(s))
        }
        t.addReceiver("join", 1, sizeCost: true) { a in join(a[0], "") }
        t.addReceiver("join", 2, sizeCost: true) { a in
            guard case .string(let sep) = a[1] else { return noSuchOverload("join", a) }
            return join(a[0], sep)
        }
        t.addReceiver("reverse", 1, sizeCost: true) { a in
            switch a[0] {
            case .string(let s): return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed())))
            case .list(let l): return .list(CELList(l.elements.reversed()))
            default: return noSuchOverload("reverse", a)
            }
        }
        t.addGlobal("strings.quote", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("strings.quote", a) }
            return .string(CELFormatter.quote(s))
        }
        t.addReceiver("format", 2, sizeCost: true) { a in
            guard case .string(let f) = a[0], case .list(let args) = a[1] else { return noSuchOverload("format", a) }
            return StringFormat.format(f, args)
        }
        t.addGlobal("base64.encode", 1) { a in
            guard case .bytes(let b) = a[0] else { return noSuchOverload("base64.encode", a) }
            return .string(Data(b).base64EncodedString())
        }
        t.addGlobal("base64.decode", 1) { a in
            guard case .string(let s) = a[0] else { return noSuchOverload("base64.decode", a) }
            let text = s.utf8.filter { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
            guard let bytes = base64Decode(text, padded: true) ?? base64Decode(text, padded: false) else {
                return .err("illegal base64 data")
            }
            return .bytes(bytes)
        }
    }

    /// Base64 of the standard alphabet as Go decodes it (cel-go tries the padded encoding, then
    /// the unpadded one; line breaks are ignored before): padded, the length is a multiple of four
    /// and `=` only completes the last quantum; unpadded, there is no `=` and no lone last
    /// character. Nil where Go's decoder fails.
    static func base64Decode(_ text: [UInt8], padded: Bool) -> [UInt8]? {
        var body = text[...]
        if padded {
            guard text.count % 4 == 0 else { return nil }
            if body.last == UInt8(ascii: "=") { body = body.dropLast() }
            if body.last == UInt8(ascii: "=") { body = body.dropLast() }
        }
        guard body.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(body.count * 3 / 4)
        var bits: UInt32 = 0
        var bitCount = 0
        for char in body {
            let value: UInt8
            switch char {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = char - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = char - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = char - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            default: return nil
            }
            bits = bits << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt32(bitCount)))
            }
        }
        return out
    }

    /// `s` with the ASCII letters in `letters` switched to the other case. Other bytes are kept:
    /// an ASCII byte is never part of a multi-byte UTF-8 sequence. `s` itself when none is there.
    static func mapASCIILetters(_ s: String, from letters: ClosedRange<UInt8>) -> String {
        var text = s
        return text.withUTF8 { bytes in
            guard bytes.contains(where: letters.contains) else { return s }
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for (index, byte) in bytes.enumerated() { buffer[index] = letters.contains(byte) ? byte ^ 0x20 : byte }
                return bytes.count
            }
        }
    }

    /// `s` without the white space (Unicode's, as Go's `strings.TrimSpace` reads it) at its ends.
    static func trimmingSpace(_ s: String) -> String {
        // Most text has nothing to trim: it is returned as it is, with nothing copied. An end
        // byte below 0x80 is a whole character, so ASCII ends are told without decoding.
        let utf8 = s.utf8
        guard let firstByte = utf8.first, let lastByte = utf8.last else { return s }
        if firstByte < 0x80, lastByte < 0x80, !isSpace(Unicode.Scalar(firstByte)), !isSpace(Unicode.Scalar(lastByte)) { return s }
        let scalars = s.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return s }
        var lo = scalars.startIndex
        var hi = scalars.endIndex
        while lo < hi, isSpace(scalars[lo]) { lo = scalars.index(after: lo) }
        while hi > lo, isSpace(scalars[scalars.index(before: hi)]) { hi = scalars.index(before: hi) }
        return String(scalars[lo..<hi])
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func join(_ v: CELValue, _ sep: String) -> CELValue {
        guard case .list(let l) = v else { return noSuchOverload("join", [v]) }
        var parts: [String] = []
        var size = 0
        for i in 0..<l.count {
            guard case .string(let s) = l[i] else { return .err("join: list element is not a string") }
            size += s.utf8.count + (i > 0 ? sep.utf8.count : 0)
            guard size <= ResultSizeLimit.stringBytes else { return ResultSizeLimit.stringError("join") }
            parts.append(s)
        }
        return .string(parts.joined(separator: sep))
    }
}
