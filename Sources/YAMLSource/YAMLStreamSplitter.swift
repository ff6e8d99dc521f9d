/// Cuts a large multi-document stream into parts at document boundaries, so that the parts can
/// be parsed in parallel. A line that starts with `---` followed by a space, tab or line break is
/// always a document marker in YAML (no scalar may contain one), so cutting before it is safe.
/// Streams with directives (`%YAML`, `%TAG`), which bind to the next document, are not cut.
public enum YAMLStreamSplitter {
    /// A part: its byte range and the number of lines before it.
    public struct Part: Sendable, Hashable {
        public var range: Range<Int>
        public var lineOffset: Int
    }

    /// Parts of about `targetSize` bytes (the whole stream when it is smaller or cannot be cut).
    public static func parts(of bytes: [UInt8], targetSize: Int) -> [Part] {
        guard bytes.count > targetSize, targetSize > 0, !hasDirective(bytes) else {
            return [Part(range: 0..<bytes.count, lineOffset: 0)]
        }
        var parts: [Part] = []
        var start = 0
        var linesBefore = 0
        while start < bytes.count {
            var cut = bytes.count
            var search = start + targetSize
            while search < bytes.count {
                guard let newline = bytes[search...].firstIndex(of: UInt8(ascii: "\n")) else { break }
                if isDocumentMarker(bytes, at: newline + 1) {
                    cut = newline + 1
                    break
                }
                search = newline + 1
            }
            parts.append(Part(range: start..<cut, lineOffset: linesBefore))
            linesBefore += bytes[start..<cut].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            start = cut
        }
        return parts
    }

    private static func isDocumentMarker(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 3 <= bytes.count,
              bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] == UInt8(ascii: "-") else { return false }
        guard index + 3 < bytes.count else { return true }
        let next = bytes[index + 3]
        return next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r")
    }

    private static func hasDirective(_ bytes: [UInt8]) -> Bool {
        if bytes.first == UInt8(ascii: "%") { return true }
        for index in bytes.indices.dropLast() where bytes[index] == UInt8(ascii: "\n") && bytes[index + 1] == UInt8(ascii: "%") {
            return true
        }
        return false
    }
}
