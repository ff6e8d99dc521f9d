/// Byte order marks at the start of a later document of a stream, as `cat a.yaml b.yaml` leaves
/// them when b.yaml was saved with one. YAML 1.2 allows one before each document (9.1.1, the
/// document prefix), and kubectl and Helm split the stream at `---` lines before reading each
/// document, so a mark on the line after a `---` (or `...`) line starts the document's text for
/// them. libyaml skips such a mark only at the start of the stream: elsewhere it counts it as a
/// column, which moves the first line of the document off its indentation. The readers are given
/// the text without these marks, so a document's lines and columns are those of its file on its
/// own, as at the start of the stream.
///
/// A mark right before a `---` line is the prefix of the next document for YAML, but not for
/// kubectl and Helm: a line that does not start with `---` does not split the stream for them,
/// and the mark inside the document before it makes that one unreadable. Such a mark is left
/// out too, and is an error.
struct DocumentByteOrderMarks {
    /// The byte offset of each mark left out, in order.
    private(set) var offsets: [Int] = []
    /// The byte offset of each mark right before a `---` line.
    private(set) var beforeMarkers: [Int] = []

    private static let mark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The marks of `text` at the start of a line after its first, where a document starts.
    init(_ text: UnsafeBufferPointer<UInt8>) {
        var search = 1
        while let lead = ByteScan.firstIndex(of: Self.mark[0], in: text, from: search) {
            search = lead + 1
            guard text[lead - 1] == UInt8(ascii: "\n"), lead + 3 <= text.count, text[lead + 1] == Self.mark[1], text[lead + 2] == Self.mark[2] else { continue }
            if YAMLStreamSplitter.isDocumentMarker(text, at: lead + 3) {
                beforeMarkers.append(lead)
                offsets.append(lead)
            } else if Self.isBareMarkerLine(text, endingAt: lead - 1) {
                offsets.append(lead)
            }
        }
    }

    /// Whether the line that ends with the line feed at `lineFeed` is a `---` or `...` marker with
    /// nothing after it but blanks and a comment: the next line starts the document's text.
    private static func isBareMarkerLine(_ text: UnsafeBufferPointer<UInt8>, endingAt lineFeed: Int) -> Bool {
        var start = lineFeed
        while start > 0 && text[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        let marker = text[start]
        guard lineFeed - start >= 3, marker == UInt8(ascii: "-") || marker == UInt8(ascii: "."),
              text[start + 1] == marker, text[start + 2] == marker else { return false }
        let rest = text[(start + 3)..<lineFeed]
        let content = rest.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        return content.isEmpty || (content.first == UInt8(ascii: "#") && content.startIndex > rest.startIndex)
    }

    /// `text` without the marks.
    func removed(from text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count - 3 * offsets.count)
        var start = 0
        for offset in offsets {
            result.append(contentsOf: text[start..<offset])
            start = offset + 3
        }
        result.append(contentsOf: text[start...])
        return result
    }
}
