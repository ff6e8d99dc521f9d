import CLibXML2

/// A thin, throwing wrapper over libxml2's xmlTextWriter writing into a memory buffer that is
/// drained into a Swift text stream on `flush`, so large reports are never held whole.
/// libxml2 escapes markup (`<&>"`); characters XML 1.0 forbids are replaced before they get here.
final class XMLStreamWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init() throws {
        guard let buffer = xmlBufferCreate() else { throw ReportError.xmlWriter(operation: "xmlBufferCreate") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw ReportError.xmlWriter(operation: "xmlNewTextWriterMemory")
        }
        self.buffer = buffer
        self.writer = writer
        try check(xmlTextWriterSetIndent(writer, 1), "xmlTextWriterSetIndent")
        try check(Self.withXMLChars("  ") { xmlTextWriterSetIndentString(writer, $0) }, "xmlTextWriterSetIndentString")
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "xmlTextWriterStartDocument")
    }

    func endDocument() throws {
        try check(xmlTextWriterEndDocument(writer), "xmlTextWriterEndDocument")
    }

    func startElement(_ name: String) throws {
        try check(Self.withXMLChars(name) { xmlTextWriterStartElement(writer, $0) }, "xmlTextWriterStartElement")
    }

    func endElement() throws {
        try check(xmlTextWriterEndElement(writer), "xmlTextWriterEndElement")
    }

    /// Writes an attribute; `value` is made XML-safe first.
    func attribute(_ name: String, _ value: String) throws {
        let safe = TextSanitizer.xml(value)
        let status = Self.withXMLChars(name) { namePointer in
            Self.withXMLChars(safe) { xmlTextWriterWriteAttribute(writer, namePointer, $0) }
        }
        try check(status, "xmlTextWriterWriteAttribute")
    }

    /// Writes character data; `text` is made XML-safe first.
    func text(_ text: String) throws {
        let safe = TextSanitizer.xml(text)
        try check(Self.withXMLChars(safe) { xmlTextWriterWriteString(writer, $0) }, "xmlTextWriterWriteString")
    }

    /// An element holding only text (or nothing), with attributes in the given order.
    func element(_ name: String, attributes: [(String, String)] = [], text: String? = nil) throws {
        try startElement(name)
        for (key, value) in attributes { try attribute(key, value) }
        if let text { try self.text(text) }
        try endElement()
    }

    /// Moves everything written so far into `sink`.
    func flush<Sink: TextOutputStream>(to sink: inout Sink) throws {
        try check(xmlTextWriterFlush(writer), "xmlTextWriterFlush")
        let length = Int(xmlBufferLength(buffer))
        if length > 0, let content = xmlBufferContent(buffer) {
            sink.write(String(decoding: UnsafeBufferPointer(start: content, count: length), as: UTF8.self))
        }
        xmlBufferEmpty(buffer)
    }

    private func check(_ status: Int32, _ operation: String) throws {
        if status < 0 { throw ReportError.xmlWriter(operation: operation) }
    }

    private static func withXMLChars<Result>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> Result) -> Result {
        text.withCString { pointer in
            pointer.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1, body)
        }
    }
}
