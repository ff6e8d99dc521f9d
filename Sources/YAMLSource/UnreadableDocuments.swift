/// The documents of a stream that hold text libyaml cannot read: bytes that are not UTF-8, or
/// characters YAML does not allow (control characters). libyaml stops reading a stream at the
/// first one, and decodes ahead of what it parses, so the documents before it are lost too; the
/// stream is read again with each of these documents blanked (its bytes made spaces, its line
/// breaks kept, so that every other position stays), and each is reported once, at its first
/// unreadable byte.
public struct UnreadableDocuments {
    /// Each blanked document: the byte range blanked, the offset of its first unreadable byte and why.
    private(set) var blanked: [(range: Range<Int>, offset: Int, problem: String)] = []

    /// Finds the documents of `bytes` holding unreadable text.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var search = 0
        while let unreadable = Self.firstUnreadable(in: bytes, from: search) {
            let range = Self.document(around: unreadable.offset, in: bytes)
            blanked.append((range, unreadable.offset, unreadable.problem))
            search = max(range.upperBound, unreadable.offset + 1)
        }
    }

    /// The first text of `bytes` YAML cannot hold (not UTF-8, a control character, a NUL byte),
    /// as an error naming its place in `file`; nil when there is none. For text that is not read
    /// as YAML but becomes YAML (a Helm template).
    public static func firstError(in bytes: [UInt8], file: String) -> YAMLError? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let unreadable = firstUnreadable(in: buffer, from: 0) else { return nil }
            let position = SourceText(buffer).position(ofByte: unreadable.offset)
            return YAMLError(file: file, line: position.line, column: position.column, message: unreadable.problem)
        }
    }

    /// A copy of `bytes` with those documents blanked.
    func blanking(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var copy = Array(bytes)
        for (range, _, _) in blanked {
            for index in range where copy[index] != UInt8(ascii: "\n") && copy[index] != UInt8(ascii: "\r") { copy[index] = UInt8(ascii: " ") }
        }
        return copy
    }

    /// The document holding byte `offset`: from after the `---` of the last document marker line
    /// at or before it (or the start) to the next marker line (or the end).
    private static func document(around offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var lineStart = offset
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        var start = 0
        var probe = lineStart
        while true {
            if YAMLStreamSplitter.isDocumentMarker(bytes, at: probe) {
                start = probe + 3
                break
            }
            guard probe > 0 else { break }
            probe -= 1
            while probe > 0, bytes[probe - 1] != UInt8(ascii: "\n") { probe -= 1 }
        }
        var end = offset
        while end < bytes.count {
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            guard end < bytes.count else { break }
            end += 1
            if YAMLStreamSplitter.isDocumentMarker(bytes, at: end) { break }
        }
        return start..<max(start, min(end, bytes.count))
    }

    /// The first byte at or after `start` that does not belong to a well-formed UTF-8 sequence
    /// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or starts a
    /// character YAML does not allow (YAML 1.1's printable set, as libyaml checks it), and why.
    static func firstUnreadable(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (offset: Int, problem: String)? {
        var index = start
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                if lead < 0x20 && lead != 0x09 && lead != 0x0A && lead != 0x0D || lead == 0x7F {
                    return (index, Self.controlCharacter(UInt32(lead)))
                }
                index += 1
                continue
            }
            let (length, secondRange): (Int, ClosedRange<UInt8>)
            switch lead {
            case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
            case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
            case 0xED: (length, secondRange) = (3, 0x80...0x9F)
            case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
            case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
            default: return (index, Self.notUTF8(lead))
            }
            guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return (index, Self.notUTF8(lead)) }
            var scalar = UInt32(lead) & (0xFF >> (length + 1))
            for continuation in (index + 1)..<(index + length) {
                guard bytes[continuation] & 0xC0 == 0x80 else { return (index, Self.notUTF8(lead)) }
                scalar = scalar << 6 | UInt32(bytes[continuation] & 0x3F)
            }
            // Not printable: C1 controls but NEL, and the noncharacters U+FFFE and U+FFFF.
            if (0x80...0x9F).contains(scalar) && scalar != 0x85 || scalar == 0xFFFE || scalar == 0xFFFF {
                return (index, Self.controlCharacter(scalar))
            }
            index += length
        }
        return nil
    }

    private static func notUTF8(_ byte: UInt8) -> String {
        StreamPart.unreadableTextPrefix + "byte 0x" + String(byte, radix: 16, uppercase: true) + " is not UTF-8 (airlock reads UTF-8 text)"
    }

    private static func controlCharacter(_ scalar: UInt32) -> String {
        let hex = String(scalar, radix: 16, uppercase: true)
        return "invalid character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ": YAML allows no control characters"
    }
}
