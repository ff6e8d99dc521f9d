/// Writes indented XML into a buffer that is drained into a Swift text stream on `flush`, so
/// large reports are never held whole. The layout and escaping are those of libxml2's
/// xmlTextWriter with indentation (two spaces a level, empty elements self-closed, text kept on the
/// line of its element), which the JUnit report was first written with; a test compares the two.
/// Written by hand because libxml2 costs about 1,600 instructions per attribute, and a JUnit
/// report has one element per evaluated (rule, object) pair. Characters XML 1.0 forbids are
/// replaced (`TextSanitizer.xml`) before escaping.
final class XMLStreamWriter {
    private var buffer = ""
    /// Open elements, innermost last.
    private var open: [OpenElement] = []

    private struct OpenElement {
        let name: String
        /// Whether the start tag still lacks its closing `>`.
        var startTagOpen = true
        var hasChildren = false
        var hasText = false
    }

    func startDocument() {
        buffer += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    }

    func endDocument() {
        while !open.isEmpty { endElement() }
    }

    func startElement(_ name: String) {
        if let last = open.indices.last {
            if open[last].startTagOpen {
                buffer += ">\n"
                open[last].startTagOpen = false
            }
            open[last].hasChildren = true
        }
        indent()
        buffer += "<"
        buffer += name
        open.append(OpenElement(name: name))
    }

    func endElement() {
        guard let element = open.popLast() else { return }
        if element.startTagOpen {
            buffer += "/>\n"
            return
        }
        if element.hasChildren { indent() }
        buffer += "</"
        buffer += element.name
        buffer += ">\n"
    }

    func attribute(_ name: String, _ value: String) {
        buffer += " "
        buffer += name
        buffer += "=\""
        Self.escape(TextSanitizer.xml(value), inAttribute: true, into: &buffer)
        buffer += "\""
    }

    func text(_ text: String) {
        guard let last = open.indices.last else { return }
        if open[last].startTagOpen {
            buffer += ">"
            open[last].startTagOpen = false
        }
        open[last].hasText = true
        Self.escape(TextSanitizer.xml(text), inAttribute: false, into: &buffer)
    }

    func element(_ name: String, attributes: [(String, String)] = [], text: String? = nil) {
        startElement(name)
        for (key, value) in attributes { attribute(key, value) }
        if let text { self.text(text) }
        endElement()
    }

    func flush<Sink: TextOutputStream>(to sink: inout Sink) {
        sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func indent() {
        for _ in 0..<open.count { buffer += "  " }
    }

    /// Markup characters as libxml2 writes them: `<>&"` always, carriage returns as references,
    /// and in attribute values also line feeds and tabs (which attribute normalisation would
    /// otherwise turn into spaces).
    static func escape(_ text: String, inAttribute: Bool, into output: inout String) {
        let needsEscape = text.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "\r"): return true
            case UInt8(ascii: "\n"), UInt8(ascii: "\t"): return inAttribute
            default: return false
            }
        }
        guard needsEscape else {
            output += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&": output += "&amp;"
            case "\"": output += "&quot;"
            case "\r": output += "&#13;"
            case "\n" where inAttribute: output += "&#10;"
            case "\t" where inAttribute: output += "&#9;"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}
