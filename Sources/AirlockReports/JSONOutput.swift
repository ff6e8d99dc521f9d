import Foundation

/// The one JSON encoding every JSON-based format uses: sorted keys, two-space indentation,
/// slashes unescaped, and a final newline, so output is stable byte for byte.
enum JSONOutput {
    static func write<Value: Encodable, Sink: TextOutputStream>(
        _ value: Value, format: String, to sink: inout Sink
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        guard let text = String(data: data, encoding: .utf8) else { throw ReportError.encoding(format: format) }
        sink.write(text)
        sink.write("\n")
    }
}
