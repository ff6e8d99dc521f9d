/// The one JSON encoding every JSON-based format uses: keys sorted, two-space indentation with
/// `"key" : value`, slashes unescaped, control characters escaped, and a final newline, so output
/// is stable byte for byte (the layout of Foundation's `JSONEncoder` with `.prettyPrinted`,
/// `.sortedKeys` and `.withoutEscapingSlashes`, which the reports were first written with).
enum JSONOutput {
    static func write<Value: Encodable, Sink: TextOutputStream>(_ value: Value, to sink: inout Sink) throws {
        var writer = Writer()
        writer.write(try ReportJSONEncoder.encode(value), indent: 0, flushingTo: &sink)
        writer.bytes.append(UInt8(ascii: "\n"))
        writer.flush(to: &sink)
    }

    /// Appends the text of values to a byte buffer, handing it to the sink in pieces.
    private struct Writer {
        var bytes: [UInt8] = []

        mutating func write<Sink: TextOutputStream>(_ value: JSONValue, indent: Int, flushingTo sink: inout Sink) {
            switch value {
            case .null: append("null")
            case .bool(let flag): append(flag ? "true" : "false")
            case .number(let digits): append(digits)
            case .string(let text): quote(text)
            case .array(let array):
                bytes.append(UInt8(ascii: "["))
                for (position, element) in array.elements.enumerated() {
                    separate(position, indent: indent + 2)
                    write(element, indent: indent + 2, flushingTo: &sink)
                }
                close(UInt8(ascii: "]"), indent: indent, isEmpty: array.elements.isEmpty)
            case .object(let object):
                bytes.append(UInt8(ascii: "{"))
                for (position, member) in object.members.sorted(by: { $0.key < $1.key }).enumerated() {
                    separate(position, indent: indent + 2)
                    quote(member.key)
                    append(" : ")
                    write(member.value, indent: indent + 2, flushingTo: &sink)
                }
                close(UInt8(ascii: "}"), indent: indent, isEmpty: object.members.isEmpty)
            }
            if bytes.count >= 1 << 16 { flush(to: &sink) }
        }

        mutating func flush<Sink: TextOutputStream>(to sink: inout Sink) {
            sink.write(String(decoding: bytes, as: UTF8.self))
            bytes.removeAll(keepingCapacity: true)
        }

        /// Before an element: a comma after the previous one, a new line and the indentation.
        private mutating func separate(_ position: Int, indent: Int) {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            newLine(indent: indent)
        }

        /// An empty container is written with an empty line inside it.
        private mutating func close(_ bracket: UInt8, indent: Int, isEmpty: Bool) {
            if isEmpty { bytes.append(UInt8(ascii: "\n")) }
            newLine(indent: indent)
            bytes.append(bracket)
        }

        private mutating func newLine(indent: Int) {
            bytes.append(UInt8(ascii: "\n"))
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
        }

        private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

        /// The text in quotes; runs of bytes that need no escape are copied whole.
        private mutating func quote(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            var text = text
            text.withUTF8 { utf8 in
                var runStart = 0
                for (position, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                    escape(byte)
                    runStart = position + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
            bytes.append(UInt8(ascii: "\""))
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
}
