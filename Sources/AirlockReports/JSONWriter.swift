/// Writes the one JSON layout every JSON-based format uses: keys sorted, two-space indentation
/// with `"key" : value`, empty containers on two lines, slashes unescaped, control characters
/// escaped, and a final newline, so output is stable byte for byte (the layout of Foundation's
/// `JSONEncoder` with `.prettyPrinted`, `.sortedKeys` and `.withoutEscapingSlashes`, which the
/// reports were first written with).
///
/// The documents drive it (`JSONWritable`): each object writes its members in sorted key order,
/// so the text is written as it goes, with no tree of values, no sorting and no `Encoder`, and
/// handed to the output in 64 KiB pieces. Debug builds check that order at every member.
struct JSONWriter {
    /// UTF-8 not yet handed to the output.
    private var bytes: [UInt8] = []
    /// Where `bytes` go.
    private let drain: (String) -> Void
    /// Spaces before a member or element of the innermost open container.
    private var indent = 0
    /// Members or elements written so far in the innermost open container.
    private var written = 0
    #if DEBUG
    /// The last key written in the innermost open object.
    private var previousKey: String?
    #endif

    private init(drain: @escaping (String) -> Void) {
        self.drain = drain
    }

    /// Writes `document` and a final newline to `sink`.
    static func write<Sink: TextOutputStream>(_ document: some JSONWritable, to sink: inout Sink) {
        withoutActuallyEscaping({ (text: String) in sink.write(text) }) { drain in
            var writer = JSONWriter(drain: drain)
            document.write(to: &writer)
            writer.bytes.append(UInt8(ascii: "\n"))
            writer.flush()
        }
    }

    /// An object whose members `members` writes, in sorted key order.
    mutating func object(_ members: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        let outer = written
        written = 0
        indent += 2
        #if DEBUG
        let outerKey = previousKey
        previousKey = nil
        #endif
        members(&self)
        #if DEBUG
        previousKey = outerKey
        #endif
        close(UInt8(ascii: "}"))
        written = outer
    }

    /// A member of the object being written, named after the member before it in sorted order.
    mutating func member(_ key: StaticString, _ value: some JSONWritable) {
        checkOrder(key.description)
        separate()
        key.withUTF8Buffer { key in
            assert(!Self.needsEscape(key), "a member key of a model needs no escape")
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: key)
            bytes.append(UInt8(ascii: "\""))
        }
        append(" : ")
        value.write(to: &self)
    }

    /// A member written only when `value` is not nil: optional members are left out, never `null`.
    mutating func member(_ key: StaticString, ifPresent value: (some JSONWritable)?) {
        if let value { member(key, value) }
    }

    /// A member whose key is text of the report (a dictionary's key), escaped as any string.
    mutating func entry(_ key: String, _ value: some JSONWritable) {
        checkOrder(key)
        separate()
        string(key)
        append(" : ")
        value.write(to: &self)
    }

    mutating func array(_ elements: some Sequence<some JSONWritable>) {
        bytes.append(UInt8(ascii: "["))
        let outer = written
        written = 0
        indent += 2
        for element in elements {
            separate()
            element.write(to: &self)
            if bytes.count >= 1 << 16 { flush() }
        }
        close(UInt8(ascii: "]"))
        written = outer
    }

    /// The text in quotes; runs of bytes that need no escape are copied whole.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            guard Self.needsEscape(utf8) else {
                bytes.append(contentsOf: utf8)
                return
            }
            var runStart = 0
            for (position, byte) in utf8.enumerated() where Self.needsEscape(byte) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                escape(byte)
                runStart = position + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ flag: Bool) {
        append(flag ? "true" : "false")
    }

    /// Debug builds stop at a member whose key does not come after the previous one of its object.
    private mutating func checkOrder(_ key: @autoclosure () -> String) {
        #if DEBUG
        let key = key()
        if let previousKey {
            precondition(previousKey < key, "JSON member \"\(key)\" written after \"\(previousKey)\": members go in sorted key order")
        }
        previousKey = key
        #endif
    }

    private mutating func flush() {
        drain(String(decoding: bytes, as: UTF8.self))
        bytes.removeAll(keepingCapacity: true)
    }

    /// Before a member or element: a comma after the previous one, a new line and the indentation.
    private mutating func separate() {
        if written > 0 { bytes.append(UInt8(ascii: ",")) }
        written += 1
        newLine()
    }

    /// Ends the innermost container; an empty one is written with an empty line inside it.
    private mutating func close(_ bracket: UInt8) {
        indent -= 2
        if written == 0 { bytes.append(UInt8(ascii: "\n")) }
        newLine()
        bytes.append(bracket)
    }

    /// A line feed and the indentation, in one copy up to 64 spaces deep.
    private mutating func newLine() {
        let spaces = min(indent, Self.lineFeedAndSpaces.count - 1)
        Self.lineFeedAndSpaces.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[...spaces])) }
        if indent > spaces { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent - spaces)) }
    }

    private static let lineFeedAndSpaces = [UInt8(ascii: "\n")] + [UInt8](repeating: UInt8(ascii: " "), count: 64)

    /// Punctuation and literals, written from the binary's own bytes.
    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Whether any byte of `utf8` needs an escape, looked at eight bytes at a time.
    private static func needsEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = utf8.baseAddress else { return false }
        let words = utf8.count / 8
        var flagged: UInt64 = 0
        for word in 0..<words {
            flagged |= escapeFlags(UnsafeRawPointer(start).loadUnaligned(fromByteOffset: word * 8, as: UInt64.self))
        }
        for byte in utf8[(words * 8)...] where needsEscape(byte) { return true }
        return flagged != 0
    }

    /// Not zero when a byte of `word` is below 0x20, a quote or a backslash. A byte below `n`
    /// (here 0x20, or 1 after an exclusive or with the quote's or backslash's value in every byte)
    /// is the first to borrow when `n` is subtracted from every byte at once, and sets its high
    /// bit, which is kept only for ASCII bytes; bytes at or above `n` borrow nothing.
    private static func escapeFlags(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let belowSpace = word &- ones &* 0x20
        let quote = (word ^ (ones &* UInt64(UInt8(ascii: "\"")))) &- ones
        let backslash = (word ^ (ones &* UInt64(UInt8(ascii: "\\")))) &- ones
        return (belowSpace | quote | backslash) & ~word & (ones &* 0x80)
    }

    /// Control characters, quotes and backslashes; not slashes, not DEL, not non-ASCII text.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x08: append("\\b")
        case 0x09: append("\\t")
        case 0x0A: append("\\n")
        case 0x0C: append("\\f")
        case 0x0D: append("\\r")
        default:
            append("\\u00")
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0xF)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
