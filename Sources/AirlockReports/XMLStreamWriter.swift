/// Writes indented XML into a buffer that is drained into a Swift text stream on `flush`, so
/// large reports are never held whole. The layout and escaping are those of libxml2's
/// xmlTextWriter with indentation (two spaces a level, empty elements self-closed, text kept on the
/// line of its element), which the JUnit report was first written with; a test compares the two.
/// Written by hand because libxml2 costs about 1,600 instructions per attribute, and a JUnit
/// report has one element per evaluated (rule, object) pair. Characters XML 1.0 forbids are
/// replaced (`TextSanitizer.xml`) before escaping.
struct XMLStreamWriter {
    /// UTF-8 not yet flushed.
    private var buffer: [UInt8] = []
    /// Open elements, innermost last.
    private var open: [OpenElement] = []

    private struct OpenElement {
        let name: StaticString
        /// Whether the start tag still lacks its closing `>`.
        var startTagOpen = true
        var hasChildren = false
    }

    mutating func startDocument() {
        write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    mutating func endDocument() {
        while !open.isEmpty { endElement() }
    }

    mutating func startElement(_ name: StaticString) {
        startChild()
        indent()
        buffer.append(UInt8(ascii: "<"))
        write(name)
        open.append(OpenElement(name: name))
    }

    mutating func endElement() {
        guard let element = open.popLast() else { return }
        if element.startTagOpen {
            write("/>\n")
            return
        }
        if element.hasChildren { indent() }
        write("</")
        write(element.name)
        write(">\n")
    }

    mutating func attribute(_ name: StaticString, _ value: String) {
        var value = value
        value.withUTF8 { attribute(name, utf8: $0) }
    }

    /// An empty element, child of the element open when it was made, whose attributes are the
    /// same each time it is written but the first one's value: its markup is made once, for an
    /// element written for each of many objects (a JUnit test case that passed).
    struct RepeatedElement {
        fileprivate let depth: Int
        /// The indentation, the name and the first attribute's name, up to its value.
        fileprivate let head: [UInt8]
        /// From the end of the first attribute's value to the end of the element.
        fileprivate let tail: [UInt8]
    }

    /// The element `name` with the attribute `varying`, whose value each `write` gives, then the
    /// `fixed` attributes; written as `startElement`, `attribute` and `endElement` would write it.
    func repeatedElement(_ name: StaticString, varying: StaticString, fixed: [(StaticString, String)]) -> RepeatedElement {
        var writer = XMLStreamWriter()
        writer.open = open.map { OpenElement(name: $0.name, startTagOpen: false, hasChildren: true) }
        writer.startElement(name)
        writer.buffer.append(UInt8(ascii: " "))
        writer.write(varying)
        writer.write("=\"")
        let head = writer.buffer
        writer.buffer = [UInt8(ascii: "\"")]
        for (key, value) in fixed { writer.attribute(key, value) }
        writer.endElement()
        return RepeatedElement(depth: open.count, head: head, tail: writer.buffer)
    }

    /// Writes `element` with `value` (UTF-8 text) as its first attribute's value; the element
    /// open now must be the one open when `element` was made.
    mutating func write(_ element: RepeatedElement, value: UnsafeBufferPointer<UInt8>) {
        precondition(element.depth == open.count, "a repeated element is written where it was made")
        startChild()
        buffer.append(contentsOf: element.head)
        escape(value, inAttribute: true)
        buffer.append(contentsOf: element.tail)
    }

    /// An attribute whose value is UTF-8 text.
    mutating func attribute(_ name: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
        buffer.append(UInt8(ascii: " "))
        write(name)
        write("=\"")
        escape(value, inAttribute: true)
        buffer.append(UInt8(ascii: "\""))
    }

    mutating func text(_ text: String) {
        guard let last = open.indices.last else { return }
        if open[last].startTagOpen {
            buffer.append(UInt8(ascii: ">"))
            open[last].startTagOpen = false
        }
        var text = text
        text.withUTF8 { escape($0, inAttribute: false) }
    }

    mutating func element(_ name: StaticString, attributes: [(StaticString, String)] = [], text: String? = nil) {
        startElement(name)
        for (key, value) in attributes { attribute(key, value) }
        if let text { self.text(text) }
        endElement()
    }

    mutating func flush<Sink: TextOutputStream>(to sink: inout Sink) {
        sink.write(String(decoding: buffer, as: UTF8.self))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Ends the start tag of the open element, if not yet ended, before a child of it.
    private mutating func startChild() {
        guard let last = open.indices.last else { return }
        if open[last].startTagOpen {
            write(">\n")
            open[last].startTagOpen = false
        }
        open[last].hasChildren = true
    }

    /// Element and attribute names and markup, written from the binary's own bytes.
    private mutating func write(_ text: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func indent() {
        for _ in 0..<open.count { buffer.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
    }

    /// Markup characters as libxml2 writes them (`reference(for:inAttribute:)`); characters XML
    /// forbids are replaced first (`TextSanitizer`).
    private mutating func escape(_ bytes: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
        // Most values (object names, counts) hold no byte to escape, no control character and no
        // 0xEF (the lead byte of U+FFFE and U+FFFF, which the sanitizer replaces): copied as they
        // are in one pass.
        guard Self.needsAttention(bytes) else {
            buffer.append(contentsOf: bytes)
            return
        }
        var text = TextSanitizer.xml(String(decoding: bytes, as: UTF8.self))
        text.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() {
                guard let reference = Self.reference(for: byte, inAttribute: inAttribute) else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                buffer.append(contentsOf: UnsafeBufferPointer(start: reference.utf8Start, count: reference.utf8CodeUnitCount))
                runStart = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    /// Whether `bytes` hold a control character, 0xEF or a byte `reference(for:inAttribute:)`
    /// may replace. Eight bytes are looked at at once (`specialLanes`), the last ones padded with
    /// spaces: this runs on every name of a report that may list every object once per rule.
    static func needsAttention(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var flagged: UInt64 = 0
        var offset = 0
        while offset + 8 <= raw.count {
            flagged |= specialLanes(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < raw.count {
            var last = UInt64(0x2020_2020_2020_2020)
            withUnsafeMutableBytes(of: &last) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            flagged |= specialLanes(last)
        }
        return flagged != 0
    }

    /// Non-zero when one of the eight bytes of `word` is below 0x20, 0xEF, `<`, `>`, `&` or `"`.
    /// A byte lane is zero where `(v - 0x01…01) & ~v & 0x80…80` has its high bit (a lane below
    /// a zero one may be marked too, which does not matter for whether any is).
    private static func specialLanes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func zeroLanes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highBits }
        func lanes(equalTo byte: UInt8) -> UInt64 { zeroLanes(word ^ (ones &* UInt64(byte))) }
        let belowSpace = (word &- ones &* 0x20) & ~word & highBits
        return belowSpace | lanes(equalTo: 0xEF) | lanes(equalTo: UInt8(ascii: "<")) | lanes(equalTo: UInt8(ascii: ">"))
            | lanes(equalTo: UInt8(ascii: "&")) | lanes(equalTo: UInt8(ascii: "\""))
    }

    /// The character reference for `byte`, as libxml2 writes it: `<>&"` always, carriage returns,
    /// and in attribute values also line feeds and tabs (which attribute normalisation would
    /// otherwise turn into spaces); nil for a byte written as it is.
    private static func reference(for byte: UInt8, inAttribute: Bool) -> StaticString? {
        switch byte {
        case UInt8(ascii: "<"): return "&lt;"
        case UInt8(ascii: ">"): return "&gt;"
        case UInt8(ascii: "&"): return "&amp;"
        case UInt8(ascii: "\""): return "&quot;"
        case UInt8(ascii: "\r"): return "&#13;"
        case UInt8(ascii: "\n") where inAttribute: return "&#10;"
        case UInt8(ascii: "\t") where inAttribute: return "&#9;"
        default: return nil
        }
    }
}
