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
        bytes.withUnsafeBufferPointer { parts(of: $0, targetSize: targetSize) }
    }

    private static func parts(of bytes: UnsafeBufferPointer<UInt8>, targetSize: Int) -> [Part] {
        guard bytes.count > targetSize, targetSize > 0, !hasDirective(bytes) else {
            return [Part(range: 0..<bytes.count, lineOffset: 0)]
        }
        var parts: [Part] = []
        var start = 0
        var linesBefore = 0
        while start < bytes.count {
            var cut = bytes.count
            var search = start + targetSize
            while let newline = ByteScan.firstIndex(of: UInt8(ascii: "\n"), in: bytes, from: search) {
                if isDocumentMarker(bytes, at: newline + 1) {
                    cut = newline + 1
                    break
                }
                search = newline + 1
            }
            parts.append(Part(range: start..<cut, lineOffset: linesBefore))
            linesBefore += ByteScan.lineFeedCount(UnsafeBufferPointer(rebasing: bytes[start..<cut]))
            start = cut
        }
        return parts
    }

    /// Whether a `---` document marker starts at `index` (the start of a line).
    static func isDocumentMarker(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 3 <= bytes.count,
              bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] == UInt8(ascii: "-") else { return false }
        guard index + 3 < bytes.count else { return true }
        let next = bytes[index + 3]
        return next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r")
    }

    /// Whether a line starts with `%` (a directive, or text that libyaml will reject).
    private static func hasDirective(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var search = 0
        while let percent = ByteScan.firstIndex(of: UInt8(ascii: "%"), in: bytes, from: search) {
            if percent == 0 || bytes[percent - 1] == UInt8(ascii: "\n") { return true }
            search = percent + 1
        }
        return false
    }
}
