/// Line arithmetic over raw bytes, used only for error positions (so computed on demand).
struct SourceText {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    func position(ofByte offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }

    /// The byte range of a 1-based line, without its line break.
    func lineRange(_ line: Int) -> Range<Int>? {
        var current = 1
        var start = 0
        while current < line {
            guard let newline = ByteScan.firstIndex(of: UInt8(ascii: "\n"), in: bytes, from: start) else { return nil }
            start = newline + 1
            current += 1
        }
        let end = ByteScan.lineEnd(in: bytes, from: start)
        return start..<end
    }

    /// The character at a 1-based line and column, if there is one.
    func character(line: Int, column: Int) -> Character? {
        guard let range = lineRange(line) else { return nil }
        let text = String(decoding: bytes[range], as: UTF8.self)
        let scalars = Array(text.unicodeScalars)
        guard column >= 1, column <= scalars.count else { return nil }
        return Character(scalars[column - 1])
    }

    /// Whether the line's leading whitespace contains a tab.
    func lineHasTabIndentation(_ line: Int) -> Bool {
        guard let range = lineRange(line) else { return false }
        for byte in bytes[range] {
            if byte == UInt8(ascii: "\t") { return true }
            if byte != UInt8(ascii: " ") { return false }
        }
        return false
    }

    /// Whether the line starts with a byte order mark.
    func lineStartsWithByteOrderMark(_ line: Int) -> Bool {
        guard let range = lineRange(line) else { return false }
        return bytes[range].starts(with: [0xEF, 0xBB, 0xBF])
    }

    /// The first line at or after 1-based `line` that starts with a `---` document marker: its
    /// byte offset and the number of lines before it.
    func documentMarker(fromLine line: Int) -> (offset: Int, linesBefore: Int)? {
        guard var start = lineRange(line)?.lowerBound else { return nil }
        var current = line
        while start < bytes.count {
            if YAMLStreamSplitter.isDocumentMarker(bytes, at: start) { return (start, current - 1) }
            guard let newline = ByteScan.firstIndex(of: UInt8(ascii: "\n"), in: bytes, from: start) else { return nil }
            start = newline + 1
            current += 1
        }
        return nil
    }
}
